package dev.ganeval.metrics;

import dev.ganeval.core.data.Shuffle;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.apache.commons.math3.distribution.BinomialDistribution;

import java.util.Random;

/**
 * Classifier two-sample test (Lopez-Paz and Oquab, 2017): real ∪ fake is shuffled with a seed and split in
 * half; an L2-regularised logistic regression on standardised features is fitted to the first half by
 * full-batch gradient descent with backtracking, and its accuracy on the second half is the score.
 */
public final class ClassifierTwoSampleTest implements Metric {
    /** {@code c2st}: on the feature rows of both sides. */
    @Override
    public String name() {
        return "c2st";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    @Override
    public C2stResult compute(MetricInputs inputs) {
        return compute(inputs.realFeatures(), inputs.fakeFeatures());
    }

    private final long seed;
    private final double l2;
    private final int iterations;
    private final double confidence;

    private ClassifierTwoSampleTest(long seed, double l2, int iterations, double confidence) {
        this.seed = seed;
        this.l2 = l2;
        this.iterations = iterations;
        this.confidence = confidence;
    }

    /** Seed 0, L2 penalty 1e-3, 300 iterations, 95 % interval. */
    public static ClassifierTwoSampleTest create() {
        return new ClassifierTwoSampleTest(0, 1e-3, 300, 0.95);
    }

    public static ClassifierTwoSampleTest of(long seed, double l2, int iterations, double confidence) {
        if (!(l2 >= 0)) {
            throw new InvalidInputException("the L2 penalty must be non-negative, got " + l2);
        }
        Checks.positive(iterations, "iterations");
        Proportion.z(confidence);
        return new ClassifierTwoSampleTest(seed, l2, iterations, confidence);
    }

    /**
     * @throws InvalidInputException with fewer than 2 rows in a set, mismatched dimensions or non-finite values
     */
    public C2stResult compute(FloatMatrix real, FloatMatrix fake) {
        Checks.samples(real, "real samples", 2);
        Checks.samples(fake, "fake samples", 2);
        Checks.sameDim(real, "real samples", fake, "fake samples");
        int d = real.cols();
        int n = real.rows() + fake.rows();
        int[] order = Shuffle.permutation(n, new Random(seed));
        int nTrain = n / 2;
        double[][] x = new double[n][];
        int[] y = new int[n];
        for (int r = 0; r < n; r++) {
            int src = order[r];
            boolean isReal = src < real.rows();
            FloatMatrix m = isReal ? real : fake;
            int row = isReal ? src : src - real.rows();
            double[] v = new double[d];
            for (int k = 0; k < d; k++) {
                v[k] = m.get(row, k);
            }
            x[r] = v;
            y[r] = isReal ? 1 : 0;
        }
        standardise(x, nTrain, d);
        double[] w = fit(x, y, nTrain, d);
        long correct = 0;
        for (int r = nTrain; r < n; r++) {
            boolean predictReal = dot(w, x[r], d) > 0;
            if (predictReal == (y[r] == 1)) {
                correct++;
            }
        }
        int nTest = n - nTrain;
        Proportion acc = Proportion.wilson(correct, nTest, confidence);
        double p = correct == 0 ? 1.0 : 1 - new BinomialDistribution(null, nTest, 0.5).cumulativeProbability((int) correct - 1);
        return new C2stResult(acc, p, nTrain, nTest, seed, "logistic regression (L2 " + l2 + ")");
    }

    /** Centres and scales every feature with the training half's mean and std (constant features left at 0). */
    private static void standardise(double[][] x, int nTrain, int d) {
        for (int k = 0; k < d; k++) {
            double mean = 0;
            for (int r = 0; r < nTrain; r++) {
                mean += x[r][k];
            }
            mean /= nTrain;
            double var = 0;
            for (int r = 0; r < nTrain; r++) {
                var += (x[r][k] - mean) * (x[r][k] - mean);
            }
            double sd = Math.sqrt(var / nTrain);
            for (double[] row : x) {
                row[k] = sd > 0 ? (row[k] - mean) / sd : 0;
            }
        }
    }

    /** Weights (bias last) minimising mean log-loss + l2/2·‖w‖² by gradient descent with Armijo backtracking. */
    private double[] fit(double[][] x, int[] y, int n, int d) {
        double[] w = new double[d + 1];
        double[] grad = new double[d + 1];
        double[] trial = new double[d + 1];
        double step = 1.0;
        double loss = loss(w, x, y, n, d);
        for (int it = 0; it < iterations; it++) {
            java.util.Arrays.fill(grad, 0);
            for (int r = 0; r < n; r++) {
                double p = sigmoid(dot(w, x[r], d));
                double e = p - y[r];
                for (int k = 0; k < d; k++) {
                    grad[k] += e * x[r][k];
                }
                grad[d] += e;
            }
            double g2 = 0;
            for (int k = 0; k <= d; k++) {
                grad[k] = grad[k] / n + (k < d ? l2 * w[k] : 0);
                g2 += grad[k] * grad[k];
            }
            if (g2 < 1e-16) {
                break;
            }
            step *= 2;
            while (true) {
                for (int k = 0; k <= d; k++) {
                    trial[k] = w[k] - step * grad[k];
                }
                double l = loss(trial, x, y, n, d);
                if (l <= loss - 0.5 * step * g2 || step < 1e-12) {
                    System.arraycopy(trial, 0, w, 0, d + 1);
                    loss = l;
                    break;
                }
                step /= 2;
            }
        }
        return w;
    }

    private double loss(double[] w, double[][] x, int[] y, int n, int d) {
        double s = 0;
        for (int r = 0; r < n; r++) {
            double z = dot(w, x[r], d);
            // log(1 + e^z) − y·z, stable for large |z|
            s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[r] * z;
        }
        double reg = 0;
        for (int k = 0; k < d; k++) {
            reg += w[k] * w[k];
        }
        return s / n + 0.5 * l2 * reg;
    }

    private static double dot(double[] w, double[] x, int d) {
        double s = w[d];
        for (int k = 0; k < d; k++) {
            s += w[k] * x[k];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
