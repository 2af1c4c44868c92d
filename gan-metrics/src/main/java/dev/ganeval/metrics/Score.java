package dev.ganeval.metrics;

import java.util.Map;

/**
 * What every metric result can say about itself, so reports can print any of them the same way.
 * Results are records that implement this and carry their own detail besides.
 */
public interface Score {
    /** Short metric name as reports print it, e.g. {@code FID} or {@code Parzen log-likelihood}. */
    String metric();

    /** The headline value. */
    double value();

    /** The standard error or standard deviation that goes with {@link #value()}, or NaN when the metric has none. */
    default double uncertainty() {
        return Double.NaN;
    }

    /** The settings the value was computed with (sample counts, σ, k, seeds...), for self-describing reports. */
    Map<String, Object> settings();
}
