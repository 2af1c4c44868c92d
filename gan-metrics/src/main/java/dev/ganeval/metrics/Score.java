package dev.ganeval.metrics;

import java.util.List;
import java.util.Locale;
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

    /**
     * The other numbers the result holds beside its headline value (FID's mean and trace terms, recall, density and
     * coverage beside precision...), by the names reports give them; empty when there are none.
     */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** Conditions a careful user wants to know about (a singular covariance, a clamped eigenvalue); empty if none. */
    default List<String> warnings() {
        return List.of();
    }

    /**
     * Facts about the computation that need no action but explain it (features that never vary, so a covariance is
     * singular by construction); reports put them in the JSON, not on the terminal.
     */
    default List<String> notes() {
        return List.of();
    }

    /** The value as a report's text line prints it: {@code 2.0800}, or {@code 8.7500 ± 0.1000} with an uncertainty. */
    default String summary() {
        return Double.isNaN(uncertainty()) ? String.format(Locale.ROOT, "%.4f", value())
                : String.format(Locale.ROOT, "%.4f ± %.4f", value(), uncertainty());
    }
}
