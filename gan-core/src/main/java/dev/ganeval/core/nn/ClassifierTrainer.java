package dev.ganeval.core.nn;

import dev.ganeval.core.data.Shuffle;
import dev.ganeval.core.Progress;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.SplittableRandom;

/** Minibatch SGD with momentum on softmax cross-entropy: trains a classifier network in place. */
public final class ClassifierTrainer {
    private ClassifierTrainer() {}

    /**
     * Trains {@code net} for {@code epochs} passes over {@code (x, y)} in shuffled minibatches (seeded) and returns the
     * mean loss of the last epoch.
     */
    public static double train(Layer net, FloatMatrix x, int[] y, int epochs, int batchSize, Sgd sgd, long seed) {
        return train(net, x, y, epochs, batchSize, sgd, seed, Progress.NONE);
    }

    /** {@link #train(Layer, FloatMatrix, int[], int, int, Sgd, long)}, reporting the minibatches of all epochs done. */
    public static double train(Layer net, FloatMatrix x, int[] y, int epochs, int batchSize, Sgd sgd, long seed,
                               Progress progress) {
        java.util.Objects.requireNonNull(progress, "progress");
        if (y.length != x.rows()) {
            throw new IllegalArgumentException(y.length + " labels for " + x.rows() + " rows");
        }
        if (batchSize < 1 || batchSize > x.rows()) {
            throw new IllegalArgumentException("batch size must be between 1 and the " + x.rows() + " rows, got " + batchSize);
        }
        int n = x.rows();
        long total = (long) epochs * (n / batchSize);
        int d = x.cols();
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = Shuffle.identity(n);
        double last = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            Shuffle.shuffle(order, rnd);
            double sum = 0;
            int batches = 0;
            for (int b0 = 0; b0 + batchSize <= n; b0 += batchSize) {
                FloatMatrix xb = new FloatMatrix(batchSize, d);
                int[] yb = new int[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    System.arraycopy(x.data(), order[b0 + i] * d, xb.data(), i * d, d);
                    yb[i] = y[order[b0 + i]];
                }
                for (Parameter p : net.parameters()) {
                    p.zeroGrad();
                }
                BinaryCrossEntropy.Result r = SoftmaxCrossEntropy.withLogits(net.forward(xb, true), yb);
                net.backward(r.gradient());
                sgd.step(net.parameters(), epoch);
                sum += r.loss();
                batches++;
                progress.update((long) epoch * (n / batchSize) + batches, total);
            }
            last = sum / batches;
        }
        return last;
    }

    /** The fraction of rows whose largest logit is the label. */
    public static double accuracy(Layer net, FloatMatrix x, int[] y) {
        FloatMatrix z = net.forward(x, false);
        int k = z.cols();
        int correct = 0;
        for (int i = 0; i < x.rows(); i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (z.get(i, j) > z.get(i, best)) {
                    best = j;
                }
            }
            if (best == y[i]) {
                correct++;
            }
        }
        return (double) correct / x.rows();
    }
}
