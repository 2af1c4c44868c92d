package dev.ganeval.metrics;

import dev.ganeval.core.Discriminator;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Objects;

/**
 * Scores generated samples by how often a discriminator (any {@link Discriminator}) takes them for real,
 * next to how often it takes real samples for real.
 */
public final class RealFakeRatio implements Metric {
    /** {@code ratio}: the discriminator's verdicts on the samples themselves. */
    @Override
    public String name() {
        return "ratio";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_PIXELS, Input.FAKE_PIXELS, Input.DISCRIMINATOR);
    }

    @Override
    public RatioResult compute(MetricInputs inputs) {
        return compute(inputs.discriminator(), inputs.realPixels(), inputs.fakePixels());
    }

    private final double threshold;
    private final double confidence;

    private RealFakeRatio(double threshold, double confidence) {
        this.threshold = threshold;
        this.confidence = confidence;
    }

    /** Threshold 0.5, 95 % intervals. */
    public static RealFakeRatio create() {
        return new RealFakeRatio(0.5, 0.95);
    }

    public static RealFakeRatio of(double threshold, double confidence) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new InvalidInputException("threshold must be in [0, 1], got " + threshold);
        }
        Proportion.z(confidence);
        return new RealFakeRatio(threshold, confidence);
    }

    /**
     * @throws InvalidInputException if a set is empty, or the discriminator returns the wrong number of outputs or
     *     a value outside [0, 1]
     */
    public RatioResult compute(Discriminator discriminator, FloatMatrix real, FloatMatrix fake) {
        Objects.requireNonNull(discriminator, "discriminator");
        Checks.samples(real, "real samples", 1);
        Checks.samples(fake, "fake samples", 1);
        Checks.sameDim(real, "real samples", fake, "fake samples");
        float[] pr = outputs(discriminator, real, "real");
        float[] pf = outputs(discriminator, fake, "fake");
        long kr = countAbove(pr);
        long kf = countAbove(pf);
        Proportion r = Proportion.wilson(kr, pr.length, confidence);
        Proportion f = Proportion.wilson(kf, pf.length, confidence);
        // Katz log interval for a ratio of independent proportions (scipy's relative_risk). Where a count is 0 or
        // all, Katz's variance term for it vanishes and the interval collapses (scipy gives [1, 1] when D calls every
        // sample real); such a count is moved half a sample inwards.
        double xr = inwards(kr, pr.length);
        double xf = inwards(kf, pf.length);
        double ratio = r.estimate() == 0 ? Double.POSITIVE_INFINITY : f.estimate() / r.estimate();
        double centre = Math.log((xf / pf.length) / (xr / pr.length));
        double se = Math.sqrt(Math.max(0, 1 / xf - 1.0 / pf.length + 1 / xr - 1.0 / pr.length));
        double z = Proportion.z(confidence);
        return new RatioResult(r, f, mean(pr), mean(pf), ratio, Math.exp(centre - z * se), Math.exp(centre + z * se), threshold);
    }

    private static double inwards(long count, int trials) {
        return count == 0 ? 0.5 : count == trials ? trials - 0.5 : count;
    }

    private long countAbove(float[] p) {
        long c = 0;
        for (float v : p) {
            if (v > threshold) {
                c++;
            }
        }
        return c;
    }

    private static double mean(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s / p.length;
    }

    private static float[] outputs(Discriminator d, FloatMatrix x, String which) {
        float[] p = d.probabilityReal(x);
        if (p == null || p.length != x.rows()) {
            throw new InvalidInputException("the discriminator returned " + (p == null ? "null" : p.length + " outputs")
                    + " for " + x.rows() + " " + which + " samples");
        }
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new InvalidInputException("the discriminator's output for " + which + " sample " + i + " is " + p[i]
                        + "; it must be a probability in [0, 1] (apply a sigmoid to logits)");
            }
        }
        return p;
    }
}
