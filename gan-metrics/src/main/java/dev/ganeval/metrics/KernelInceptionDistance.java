package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.Objects;
import java.util.Random;

/**
 * Kernel Inception Distance (Bińkowski et al., 2018) with torch-fidelity's defaults: kernel
 * {@code k(x, y) = (x·y/d + 1)³}, the unbiased MMD² estimate
 * {@code Σ_{i≠j} k(x_i,x_j)/(m(m−1)) + Σ_{i≠j} k(y_i,y_j)/(m(m−1)) − 2·Σ k(x_i,y_j)/m²} on 100 subsets of
 * 1,000 rows drawn without replacement from each set (seeded), reported as mean and std over subsets.
 *
 * <p>The three Gram matrices of a subset come from the fast float32 GEMM; the kernel and the sums are in
 * float64. Fewer rows than the subset size is an error unless {@link Builder#allowShrink()} lets the subset
 * shrink to the smaller set.
 */
public final class KernelInceptionDistance implements Metric {
    /** {@code kid}: on the feature rows of both sides. */
    @Override
    public String name() {
        return "kid";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    /** Fewer rows than the subset size is refused before any feature is computed, unless the subset may shrink. */
    @Override
    public void requireRows(long realRows, long fakeRows) {
        long known = realRows < 0 ? fakeRows : fakeRows < 0 ? realRows : Math.min(realRows, fakeRows);
        if (!allowShrink && known >= 0 && known < subsetSize) {
            throw new InvalidInputException("KID draws subsets of " + subsetSize + " samples from each side, but got "
                    + (realRows < 0 ? "?" : realRows) + " real and " + (fakeRows < 0 ? "?" : fakeRows)
                    + " fake; set kid's subset_size to " + known + " or less, or score more samples");
        }
    }

    @Override
    public KidResult compute(MetricInputs inputs) {
        return compute(inputs.realFeatures(), inputs.fakeFeatures());
    }

    private final int subsets;
    private final int subsetSize;
    private final long seed;
    private final boolean allowShrink;
    private final Gemm gemm;

    private KernelInceptionDistance(Builder b) {
        this.subsets = b.subsets;
        this.subsetSize = b.subsetSize;
        this.seed = b.seed;
        this.allowShrink = b.allowShrink;
        this.gemm = b.gemm;
    }

    public static KernelInceptionDistance create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int subsets = 100;
        private int subsetSize = 1000;
        private long seed = 0;
        private boolean allowShrink;
        private Gemm gemm = Gemm.defaultGemm();

        public Builder subsets(int subsets) {
            this.subsets = Checks.positive(subsets, "subsets");
            return this;
        }

        public Builder subsetSize(int size) {
            if (size < 2) {
                throw new InvalidInputException("the subset size must be at least 2, got " + size);
            }
            this.subsetSize = size;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Let the subset size shrink to the smaller set instead of failing. */
        public Builder allowShrink() {
            this.allowShrink = true;
            return this;
        }

        public Builder gemm(Gemm gemm) {
            this.gemm = Objects.requireNonNull(gemm, "gemm");
            return this;
        }

        public KernelInceptionDistance build() {
            return new KernelInceptionDistance(this);
        }
    }

    /**
     * @throws InvalidInputException on mismatched dimensions, non-finite values, or fewer rows than the subset
     *     size (unless shrinking is allowed)
     */
    public KidResult compute(FloatMatrix real, FloatMatrix fake) {
        Checks.samples(real, "real features", 2);
        Checks.samples(fake, "fake features", 2);
        Checks.sameDim(real, "real features", fake, "fake features");
        int m = subsetSize;
        int smaller = Math.min(real.rows(), fake.rows());
        if (smaller < m) {
            if (!allowShrink) {
                throw new InvalidInputException("KID needs at least " + m + " rows in each set for subsets of " + m
                        + ", but got " + real.rows() + " real and " + fake.rows() + " fake; "
                        + "lower the builder's subsetSize or call allowShrink()");
            }
            m = smaller;
        }
        int d = real.cols();
        Random rnd = new Random(seed);
        FloatMatrix xs = new FloatMatrix(m, d);
        FloatMatrix ys = new FloatMatrix(m, d);
        FloatMatrix g = new FloatMatrix(m, m);
        double[] values = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            gather(real, sample(rnd, real.rows(), m), xs);
            gather(fake, sample(rnd, fake.rows(), m), ys);
            double kxx = kernelSum(xs, xs, g, d, true);
            double kyy = kernelSum(ys, ys, g, d, true);
            double kxy = kernelSum(xs, ys, g, d, false);
            values[s] = kxx / ((double) m * (m - 1)) + kyy / ((double) m * (m - 1)) - 2 * kxy / ((double) m * m);
        }
        double mean = Moments.mean(values);
        return new KidResult(mean, Moments.std(values, mean), subsets, m, seed, d, real.rows(), fake.rows());
    }

    /** Σ k(a_i, b_j) over all pairs, or over i ≠ j when {@code offDiagonal}. */
    private double kernelSum(FloatMatrix a, FloatMatrix b, FloatMatrix g, int d, boolean offDiagonal) {
        gemm.multiply(Transpose.NONE, Transpose.TRANSPOSE, 1f, a, b, 0f, g);
        int m = a.rows();
        float[] v = g.data();
        double inv = 1.0 / d;
        double sum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (offDiagonal && i == j) {
                    continue;
                }
                double t = v[i * m + j] * inv + 1;
                sum += t * t * t;
            }
        }
        return sum;
    }

    /** {@code m} distinct indices from {@code [0, n)}: a partial Fisher–Yates shuffle. */
    private static int[] sample(Random rnd, int n, int m) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }

    private static void gather(FloatMatrix src, int[] rows, FloatMatrix dst) {
        int d = src.cols();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(src.data(), rows[i] * d, dst.data(), i * d, d);
        }
    }
}
