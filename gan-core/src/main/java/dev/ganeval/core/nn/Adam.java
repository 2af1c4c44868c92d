package dev.ganeval.core.nn;


import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015), as {@code torch.optim.Adam} computes it: {@code m ← β1·m + (1−β1)·g},
 * {@code v ← β2·v + (1−β2)·g²}, {@code θ ← θ − (η / (1−β1ᵗ))·m / (√v / √(1−β2ᵗ) + ε)} at update t = 1, 2, …, with
 * the same learning-rate schedule as {@link Sgd} (η divided by {@code decay} after every update, down to a floor;
 * {@code decay} 1 keeps it constant). The moments are float32, like the parameters. Since the bias corrections
 * follow from the update count, a restored count and restored moments continue a run exactly.
 */
public final class Adam extends ScheduledOptimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<Parameter, float[][]> moments = new IdentityHashMap<>();

    /**
     * @param decay the learning rate is divided by this after every update (1 for a constant rate)
     */
    public Adam(double learningRate, double decay, double minLearningRate, double beta1, double beta2, double epsilon) {
        super(learningRate, decay, minLearningRate);
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam's betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0 && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Adam's epsilon must be positive, got " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** β1, Adam's momentum. */
    @Override
    public double momentum(int epoch) {
        return beta1;
    }




    /** The first and second moments of a parameter. */
    @Override
    public List<float[]> state(Parameter p) {
        float[][] m = moments(p);
        return List.of(m[0], m[1]);
    }

    private float[][] moments(Parameter p) {
        return moments.computeIfAbsent(p, k -> new float[][] {new float[k.value().data().length], new float[k.value().data().length]});
    }

    @Override
    public void step(List<Parameter> parameters, int epoch, boolean clearGradients) {
        long t = updates() + 1;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float stepSize = (float) (learningRate() / (1 - Math.pow(beta1, t)));
        float rootCorrection = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float eps = (float) epsilon;
        float[][][] ms = new float[parameters.size()][][];
        for (int k = 0; k < ms.length; k++) {
            ms[k] = moments(parameters.get(k));
        }
        inSlices(parameters, (k, from, to) -> {
            float[] m = ms[k][0];
            float[] v = ms[k][1];
            float[] theta = parameters.get(k).value().data();
            float[] g = parameters.get(k).grad().data();
            for (int i = from; i < to; i++) {
                float gi = g[i];
                m[i] = b1 * m[i] + c1 * gi;
                v[i] = b2 * v[i] + c2 * gi * gi;
                theta[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / rootCorrection + eps);
                if (clearGradients) {
                    g[i] = 0f;
                }
            }
        });
        updated();
    }
}
