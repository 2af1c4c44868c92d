package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;

/**
 * How many samples of each side the network's classifier puts in each class (the arg-max of its logits), so that a
 * class the generator dropped shows as a real bar without a generated one. Immutable.
 *
 * @param real per class, the real samples in it; null when the real side gave no logits (statistics, or not read)
 * @param fake per class, the generated samples in it
 */
public record ClassHistogram(long[] real, long[] fake) {
    public ClassHistogram {
        if (real != null && real.length != fake.length) {
            throw new IllegalArgumentException("both sides need the same classes: " + real.length + " and " + fake.length);
        }
        real = real == null ? null : real.clone();
        fake = fake.clone();
    }

    @Override
    public long[] real() {
        return real == null ? null : real.clone();
    }

    @Override
    public long[] fake() {
        return fake.clone();
    }

    public int classes() {
        return fake.length;
    }

    /** Per class, the rows of {@code logits} whose largest value is in that class's column (ties to the lower class). */
    public static long[] counts(FloatMatrix logits) {
        long[] c = new long[logits.cols()];
        float[] d = logits.data();
        int k = logits.cols();
        for (int r = 0; r < logits.rows(); r++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (d[r * k + j] > d[r * k + best]) {
                    best = j;
                }
            }
            c[best]++;
        }
        return c;
    }
}
