package dev.ganeval.metrics;

import dev.ganeval.core.data.Shuffle;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * FID∞ (Chong &amp; Forsyth, 2020, "Effectively Unbiased FID and Inception Score and where to find them"): FID
 * is biased upwards by a term that falls like {@code 1/N} in the number N of generated samples, so FID is
 * computed at several N, a straight line is fitted to FID against {@code 1/N} by ordinary least squares, and
 * its value at {@code 1/N = 0} (the intercept) is reported: the FID of infinitely many samples.
 *
 * <p>Protocol (the defaults of the authors' {@code calculate_FID_infinity}): the real statistics come from the
 * whole real set (or are given); the N values are {@code linspace(min, n_fake, points)} truncated to int
 * (15 points from 5,000); each point is the {@link FrechetDistance} between the real statistics and those of
 * the first N fake rows. Before that the fake rows are put in a random order once, by a Fisher–Yates shuffle
 * driven by {@link SplittableRandom}{@code (seed)}; {@link Builder#inOrder()} skips the shuffle and takes the
 * rows as given, for samples that are independent draws already (a generator's output).
 *
 * <p>Difference from the authors' code: it reshuffles the activations before every N, so its points are
 * independent subsets; here the subsets are nested prefixes of one shuffle. Each point is still the FID of a
 * uniformly random N-subset, so every point, and the fit, has the same expectation; the points' noise is
 * correlated instead of independent. What nesting buys: the statistics of the prefixes are accumulated
 * incrementally, each fake row entering {@link GaussianStats.Accumulator} once (the chunked two-pass
 * accumulation with Chan's merge), instead of {@code points} times; the result agrees with computing each
 * prefix from scratch to about 1e-12 relative ({@code FidInfinityTest}). The cost is then one pass over the fake
 * rows ({@code n_fake·d²} multiply-adds) plus {@code points} Fréchet distances (each {@code O(d³)}).
 *
 * <p>The minimum N defaults to 5,000; when the fake set has no more rows than that, the default becomes half
 * the fake row count (so a smaller set still spans a range of N), and an explicit {@link Builder#minSamples}
 * must be below the fake row count. N values may repeat when the range is narrower than {@code points}; the
 * least-squares fit takes them as they come, as the authors' code does.
 */
public final class FidInfinity implements Metric {
    /** {@code fid-inf}: the generated side's feature rows against the real side's statistics (or a statistics file). */
    @Override
    public String name() {
        return "fid-inf";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_STATISTICS, Input.FAKE_FEATURES);
    }

    @Override
    public FidInfinityResult compute(MetricInputs inputs) {
        return compute(inputs.realStatistics(), inputs.fakeFeatures());
    }

    /** The authors' defaults. */
    public static final int DEFAULT_POINTS = 15;
    public static final int DEFAULT_MIN_SAMPLES = 5000;

    private final int points;
    private final int minSamples;
    private final boolean minSamplesSet;
    private final long seed;
    private final boolean inOrder;
    private final FrechetDistance distance;

    private FidInfinity(Builder b) {
        this.points = b.points;
        this.minSamples = b.minSamples;
        this.minSamplesSet = b.minSamplesSet;
        this.seed = b.seed;
        this.inOrder = b.inOrder;
        this.distance = b.distance;
    }

    /** The defaults: 15 points from 5,000 rows, shuffled with seed 0. */
    public static FidInfinity create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int points = DEFAULT_POINTS;
        private int minSamples = DEFAULT_MIN_SAMPLES;
        private boolean minSamplesSet;
        private long seed;
        private boolean inOrder;
        private FrechetDistance distance = FrechetDistance.create();

        private Builder() {}

        /** How many sample counts N the line is fitted to (at least 2; default 15). */
        public Builder points(int points) {
            if (points < 2) {
                throw new InvalidInputException("FID∞ fits a line, so it needs at least 2 points, got " + points);
            }
            this.points = points;
            return this;
        }

        /** The smallest N (at least 2; default 5,000); must be below the fake row count. */
        public Builder minSamples(int minSamples) {
            if (minSamples < 2) {
                throw new InvalidInputException("the minimum sample count must be at least 2 (a covariance needs 2 rows), got "
                        + minSamples);
            }
            this.minSamples = minSamples;
            this.minSamplesSet = true;
            return this;
        }

        /** The seed of the one shuffle of the fake rows (default 0); undoes an earlier {@link #inOrder()}. */
        public Builder seed(long seed) {
            this.seed = seed;
            this.inOrder = false;
            return this;
        }

        /** Take the first N fake rows as given, no shuffle: for samples that are independent draws already. */
        public Builder inOrder() {
            this.inOrder = true;
            return this;
        }

        /** The Fréchet distance used at each point (default {@link FrechetDistance#create()}). */
        public Builder distance(FrechetDistance distance) {
            this.distance = Objects.requireNonNull(distance, "distance");
            return this;
        }

        public FidInfinity build() {
            return new FidInfinity(this);
        }
    }

    /**
     * FID∞ of {@code fake} against {@code real}, the real statistics taken from all its rows.
     *
     * @throws InvalidInputException on mismatched dimensions, non-finite values, or too few fake rows
     */
    public FidInfinityResult compute(FloatMatrix real, FloatMatrix fake) {
        Checks.samples(real, "real features", 2);
        Checks.samples(fake, "fake features", 2);
        Checks.sameDim(real, "real features", fake, "fake features");
        return compute(GaussianStats.of(real), fake);
    }

    /**
     * FID∞ of {@code fake} against given real statistics (e.g. read from a pytorch-fid {@code .npz}).
     *
     * @throws InvalidInputException on mismatched dimensions, non-finite values, or too few fake rows
     */
    public FidInfinityResult compute(GaussianStats real, FloatMatrix fake) {
        Objects.requireNonNull(real, "real");
        Checks.samples(fake, "fake features", 2);
        int d = fake.cols();
        if (real.dim() != d) {
            throw new InvalidInputException("the real statistics have " + real.dim() + " dimensions but the fake features have "
                    + d + "; both must come from the same feature extractor and layer");
        }
        int n = fake.rows();
        int min = minimum(n);
        int[] counts = sampleCounts(min, n, points);
        int[] order = inOrder ? null : shuffled(n, seed);

        double[] fids = new double[points];
        LinkedHashSet<String> warnings = new LinkedHashSet<>();
        GaussianStats.Accumulator acc = GaussianStats.accumulator(d);
        int done = 0;
        for (int p = 0; p < points; p++) {
            int upTo = counts[p];
            if (upTo > done) {
                acc.add(rows(fake, order, done, upTo));
                done = upTo;
            }
            FidResult r = distance.compute(real, acc.build());
            fids[p] = r.value();
            for (String w : r.warnings()) {
                warnings.add("N = " + upTo + ": " + w);
            }
        }
        Fit fit = leastSquares(counts, fids);
        return new FidInfinityResult(fit.intercept, fit.slope, fit.r2, counts, fids, min, seed, inOrder,
                d, real.count(), n, new ArrayList<>(warnings));
    }

    /** The smallest N for {@code n} fake rows; see the class comment. */
    private int minimum(int n) {
        if (minSamplesSet) {
            if (n <= minSamples) {
                throw new InvalidInputException("FID∞ needs more fake rows than the minimum sample count " + minSamples
                        + " so that N can range from " + minSamples + " to the fake row count, but got " + n
                        + " fake rows; lower minSamples or add samples");
            }
            return minSamples;
        }
        if (n > minSamples) {
            return minSamples;
        }
        int half = n / 2;
        if (half < 2) {
            throw new InvalidInputException("FID∞ needs at least 4 fake rows (N from 2 to the row count), got " + n);
        }
        return half;
    }

    /** {@code linspace(min, max, points)} truncated towards zero, as numpy's {@code astype(int)}. */
    static int[] sampleCounts(int min, int max, int points) {
        int[] counts = new int[points];
        double step = (double) (max - min) / (points - 1);
        for (int i = 0; i < points; i++) {
            // numpy's linspace: start + i·step, and the last value exactly the stop.
            counts[i] = i == points - 1 ? max : (int) (min + i * step);
        }
        return counts;
    }

    /** A random permutation of {@code 0 … n−1}: Fisher–Yates from the end, {@code SplittableRandom(seed)}. */
    static int[] shuffled(int n, long seed) {
        return Shuffle.permutation(n, new SplittableRandom(seed));
    }

    /** Rows {@code from … to−1} of the (possibly permuted) fake set, as one batch. */
    private static FloatMatrix rows(FloatMatrix x, int[] order, int from, int to) {
        if (order == null) {
            return x.rowRange(from, to);
        }
        int d = x.cols();
        FloatMatrix out = new FloatMatrix(to - from, d);
        for (int i = from; i < to; i++) {
            System.arraycopy(x.data(), order[i] * d, out.data(), (i - from) * d, d);
        }
        return out;
    }

    private record Fit(double slope, double intercept, double r2) {}

    /**
     * Ordinary least squares of {@code y} on {@code x = 1/N} with an intercept, from centred sums (two passes).
     * R² is {@code 1 − SS_res/SS_tot}, and 1 when every FID is the same (a perfect, flat fit).
     */
    private static Fit leastSquares(int[] counts, double[] y) {
        int m = counts.length;
        double[] x = new double[m];
        double mx = 0;
        double my = 0;
        for (int i = 0; i < m; i++) {
            x[i] = 1.0 / counts[i];
            mx += x[i];
            my += y[i];
        }
        mx /= m;
        my /= m;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < m; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        if (!(sxx > 0)) {
            // Cannot happen: minimum() keeps min below the fake row count, so the first and last N differ.
            throw new IllegalStateException("all sample counts are equal: " + java.util.Arrays.toString(counts));
        }
        double slope = sxy / sxx;
        double intercept = my - slope * mx;
        double ssRes = 0;
        for (int i = 0; i < m; i++) {
            double e = y[i] - (intercept + slope * x[i]);
            ssRes += e * e;
        }
        double r2 = syy > 0 ? 1 - ssRes / syy : 1;
        return new Fit(slope, intercept, r2);
    }
}
