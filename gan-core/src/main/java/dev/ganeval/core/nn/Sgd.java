package dev.ganeval.core.nn;


import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with classical momentum, {@code v ← μ·v − η·g; θ ← θ + v}, the 2014 GAN's
 * schedules: the learning rate divided by {@code decay} after every update down to a floor, and the momentum
 * rising linearly from {@code momentumStart} to {@code momentumEnd} between two epochs.
 */
public final class Sgd extends ScheduledOptimizer {
    private final double momentumStart;
    private final double momentumEnd;
    private final int rampStartEpoch;
    private final int rampEndEpoch;
    private final Map<Parameter, float[]> velocity = new IdentityHashMap<>();

    /**
     * @param decay the learning rate is divided by this after every update (1 for a constant rate)
     */
    public Sgd(double learningRate, double decay, double minLearningRate, double momentumStart, double momentumEnd,
               int rampStartEpoch, int rampEndEpoch) {
        super(learningRate, decay, minLearningRate);
        if (!(momentumStart >= 0 && momentumStart < 1 && momentumEnd >= 0 && momentumEnd < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentumStart
                    + (momentumEnd == momentumStart ? "" : " -> " + momentumEnd));
        }
        if (rampEndEpoch < rampStartEpoch) {
            throw new IllegalArgumentException("the momentum ramp ends before it starts: epochs " + rampStartEpoch + " to "
                    + rampEndEpoch);
        }
        this.momentumStart = momentumStart;
        this.momentumEnd = momentumEnd;
        this.rampStartEpoch = rampStartEpoch;
        this.rampEndEpoch = rampEndEpoch;
    }

    /** Constant learning rate and momentum. */
    public static Sgd constant(double learningRate, double momentum) {
        return new Sgd(learningRate, 1, 0, momentum, momentum, 0, 0);
    }

    /** The momentum used during {@code epoch} (counted from 0): linear between the ramp's two epochs. */
    @Override
    public double momentum(int epoch) {
        if (epoch <= rampStartEpoch) {
            return momentumStart;
        }
        if (epoch >= rampEndEpoch) {
            return momentumEnd;
        }
        double t = (double) (epoch - rampStartEpoch) / (rampEndEpoch - rampStartEpoch);
        return momentumStart + t * (momentumEnd - momentumStart);
    }



    /** The momentum buffer of a parameter (created on its first step), for checkpoints. */
    public float[] velocity(Parameter p) {
        return velocity.computeIfAbsent(p, k -> new float[k.value().data().length]);
    }

    @Override
    public List<float[]> state(Parameter p) {
        return List.of(velocity(p));
    }


    /** One step on every parameter from its accumulated gradient; then the learning rate decays. */
    public void step(List<Parameter> parameters, int epoch) {
        step(parameters, epoch, false);
    }

    /**
     * One step, and with {@code clearGradients} the gradients set to zero for the next minibatch in the same pass
     * over memory (a separate {@link Parameter#zeroGrad()} pass costs as much again on large layers).
     */
    @Override
    public void step(List<Parameter> parameters, int epoch, boolean clearGradients) {
        float lr = (float) learningRate();
        float m = (float) momentum(epoch);
        float[][] vs = new float[parameters.size()][];
        for (int k = 0; k < vs.length; k++) {
            vs[k] = velocity(parameters.get(k));
        }
        inSlices(parameters, (k, from, to) -> {
            float[] v = vs[k];
            float[] theta = parameters.get(k).value().data();
            float[] g = parameters.get(k).grad().data();
            if (clearGradients) {
                for (int i = from; i < to; i++) {
                    v[i] = m * v[i] - lr * g[i];
                    theta[i] += v[i];
                    g[i] = 0f;
                }
            } else {
                for (int i = from; i < to; i++) {
                    v[i] = m * v[i] - lr * g[i];
                    theta[i] += v[i];
                }
            }
        });
        updated();
    }
}
