package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A binomial proportion {@code successes / trials} with its Wilson score interval (the interval scipy's
 * {@code binomtest(...).proportion_ci(method='wilson')} gives), which behaves at 0 and 1 where the normal
 * approximation does not.
 */
public record Proportion(long successes, long trials, double estimate, double low, double high, double confidence) {

    /**
     * @throws InvalidInputException unless {@code 0 ≤ successes ≤ trials}, {@code trials ≥ 1} and the confidence is in (0, 1)
     */
    public static Proportion wilson(long successes, long trials, double confidence) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new InvalidInputException("a proportion needs 0 <= successes <= trials and trials >= 1, got "
                    + successes + " of " + trials);
        }
        double z = z(confidence);
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denom;
        double half = z / denom * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Proportion(successes, trials, p, Math.max(0, centre - half), Math.min(1, centre + half), confidence);
    }

    /** The two-sided normal quantile for a confidence level. */
    static double z(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new InvalidInputException("confidence must be between 0 and 1, got " + confidence);
        }
        return new NormalDistribution().inverseCumulativeProbability(0.5 + confidence / 2);
    }
}
