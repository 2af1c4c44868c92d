package dev.ganeval.metrics;

import java.util.Set;

/**
 * A metric as the evaluation pipeline sees it: a registry name, what it needs from the samples, and the step that
 * turns those inputs into a {@link Score}. The pipeline reads the needs before any sample is read, so a request it
 * cannot satisfy (KID without real samples, the real/fake ratio without a discriminator) is refused up front, and it
 * computes each input once for every metric that asks for it (features and logits from one forward pass, Gaussian
 * statistics accumulated as batches arrive).
 *
 * <p>Each metric class implements this beside its own typed entry points ({@code FrechetDistance.between},
 * {@code KernelInceptionDistance.compute}, ...); an instance holds its settings, so it is immutable and reusable.
 */
public interface Metric {
    /** What a metric can ask the pipeline for. */
    enum Input {
        /** Mean and covariance of the real side's features: from its rows, or from a statistics file. */
        REAL_STATISTICS,
        /** Mean and covariance of the generated side's features. */
        FAKE_STATISTICS,
        /** Every feature row of the real side. */
        REAL_FEATURES,
        /** Every feature row of the generated side. */
        FAKE_FEATURES,
        /** The network's class logits for every generated sample (the Inception Score). */
        FAKE_LOGITS,
        /** The real samples themselves (pixels in [0, 1]), not their features. */
        REAL_PIXELS,
        /** The generated samples themselves. */
        FAKE_PIXELS,
        /** A discriminator that judges samples real or fake. */
        DISCRIMINATOR;

        /** Whether this input comes from the real side. */
        public boolean real() {
            return this == REAL_STATISTICS || this == REAL_FEATURES || this == REAL_PIXELS;
        }

        /** Whether a feature network is needed to produce it (statistics, features, logits). */
        public boolean throughNetwork() {
            return this != REAL_PIXELS && this != FAKE_PIXELS && this != DISCRIMINATOR;
        }
    }

    /** The registry name, lower case: {@code fid}, {@code kid}, {@code is}... */
    String name();

    /** What {@link #compute} reads from its {@link MetricInputs}. */
    Set<Input> inputs();

    /**
     * Refuses sample counts the metric cannot work with, before any sample is read (KID with fewer rows than its
     * subset size). A count of -1 is not known in advance and is checked by {@link #compute} instead.
     *
     * @throws dev.ganeval.core.InvalidInputException naming the count and the fix
     */
    default void requireRows(long realRows, long fakeRows) {
    }

    /**
     * The score from the inputs this metric declared.
     *
     * @throws dev.ganeval.core.InvalidInputException when the inputs cannot give a score (too few rows, a NaN)
     */
    Score compute(MetricInputs inputs);
}
