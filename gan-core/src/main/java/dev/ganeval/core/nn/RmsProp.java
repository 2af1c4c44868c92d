package dev.ganeval.core.nn;


import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSProp as {@code torch.optim.RMSprop} computes it with its defaults (no momentum, not centred):
 * {@code v ← α·v + (1−α)·g²}, {@code θ ← θ − η·g / (√v + ε)}, the learning rate constant. WGAN's critic optimiser
 * (Arjovsky et al. 2017: η = 5e-5).
 */
public final class RmsProp extends ScheduledOptimizer {
    private final double alpha;
    private final double epsilon;
    private final Map<Parameter, float[]> squares = new IdentityHashMap<>();

    /** α = 0.99 and ε = 1e-8, torch's defaults. */
    public RmsProp(double learningRate) {
        this(learningRate, 0.99, 1e-8);
    }

    public RmsProp(double learningRate, double alpha, double epsilon) {
        super(learningRate, 1, 0);
        if (!(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("RMSProp's alpha must be in [0, 1), got " + alpha);
        }
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("RMSProp's epsilon must be positive, got " + epsilon);
        }
        this.alpha = alpha;
        this.epsilon = epsilon;
    }

    @Override
    public double momentum(int epoch) {
        return 0;
    }

    /** The running mean of squared gradients. */
    @Override
    public List<float[]> state(Parameter p) {
        return List.of(square(p));
    }

    private float[] square(Parameter p) {
        return squares.computeIfAbsent(p, k -> new float[k.value().data().length]);
    }

    @Override
    public void step(List<Parameter> parameters, int epoch, boolean clearGradients) {
        float a = (float) alpha;
        float c = (float) (1 - alpha);
        float lr = (float) learningRate();
        float eps = (float) epsilon;
        float[][] vs = new float[parameters.size()][];
        for (int k = 0; k < vs.length; k++) {
            vs[k] = square(parameters.get(k));
        }
        inSlices(parameters, (k, from, to) -> {
            float[] v = vs[k];
            float[] theta = parameters.get(k).value().data();
            float[] g = parameters.get(k).grad().data();
            for (int i = from; i < to; i++) {
                float gi = g[i];
                v[i] = a * v[i] + c * gi * gi;
                theta[i] -= lr * gi / ((float) Math.sqrt(v[i]) + eps);
                if (clearGradients) {
                    g[i] = 0f;
                }
            }
        });
        updated();
    }
}
