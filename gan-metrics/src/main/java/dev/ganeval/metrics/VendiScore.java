package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.DoubleGemm;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.RowOps;
import dev.ganeval.core.linalg.SymmetricEigenvalues;

import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * The Vendi score (Friedman &amp; Dieng, 2023, "The Vendi Score: A Diversity Evaluation Metric for Machine
 * Learning") of one sample set, the generated one: with a similarity kernel {@code k} that is positive
 * semi-definite and has {@code k(x, x) = 1}, and {@code λ₁ … λₙ} the eigenvalues of {@code K/n}
 * ({@code K_ij = k(x_i, x_j)}, so the λ are non-negative and sum to 1),
 * {@code VS = exp(−Σ λᵢ log λᵢ)}, the exponential of their Shannon entropy: the effective number of distinct
 * samples, 1 when all are alike, n when all are orthogonal.
 *
 * <p>{@link Builder#order(double) order q} ≠ 1 gives the Rényi form of Pasarkar &amp; Dieng (2023, "Cousins of
 * the Vendi Score"), {@code VS_q = exp(log(Σ λᵢ^q)/(1 − q))}, and {@code VS_∞ = 1/max λ}; q → 1 is the
 * Shannon form. Small q weighs rare features up, large q weighs the dominant ones.
 *
 * <p>Kernels: {@link Builder#cosine() cosine similarity} (the default: rows scaled to unit length in float64, a
 * zero row is an error that names it), a {@link Builder#rbf(double) Gaussian RBF}
 * {@code exp(−‖x − y‖²/(2σ²))}, or any {@link Builder#kernel(String, ToDoubleBiFunction) function of two rows},
 * which must be symmetric (only {@code k(x_i, x_j)} with {@code j ≤ i} is evaluated), positive semi-definite and
 * 1 on the diagonal (checked to 1e-6). The matrix is built in float64; the Gram matrices come from the float64
 * GEMM ({@link DoubleGemm#syrkUpper}, {@code n²d/2} multiply-adds), the eigenvalues from gan-core's
 * {@link SymmetricEigenvalues} ({@code 4m³/3} flops for an {@code m × m} matrix).
 *
 * <p>Two routes for the cosine kernel, which agree to rounding ({@code VendiScoreTest}): with {@code U} the
 * unit rows, {@code K/n = UUᵀ/n} ({@link Route#SAMPLE_GRAM}, n × n) has the same non-zero eigenvalues as
 * {@code UᵀU/n} ({@link Route#FEATURE_GRAM}, d × d); the rest are zeros, which add nothing to any of the sums.
 * {@link Route#AUTO} takes the smaller matrix: for 10,000 samples of 2,048 features that is about 115 times fewer
 * eigenvalue flops and 24 times less memory. The other kernels need the n × n matrix: 800 MB of doubles at
 * n = 10,000.
 *
 * <p>Rounding: eigenvalues at most {@code m·ε·max λ} (m the matrix size; numpy's {@code matrix_rank} tolerance)
 * are numerical zeros and are left out of the sums, as exact zeros would add nothing ({@code 0·log 0 = 0}). For
 * q ≥ 1 that changes nothing visible; for q &lt; 1 it is what makes the value reproducible: {@code λ^q} of a
 * rounding residue of 1e-17 is 3e-9 at q = ½, and a few hundred of them moved the score by 1e-7 relative in our
 * tests (the Vendi package's {@code λ > 0} cut lets them in). Negative eigenvalues are rounding too, down to
 * {@code −1e-9}; below that (the λ sum to 1) the kernel is not positive semi-definite: an
 * {@link InvalidInputException}. The value is not clamped to {@code [1, n]}; rounding can put it outside by
 * about 1e-13 relative.
 */
public final class VendiScore implements Metric {
    /** {@code vendi}: the diversity of the generated side's feature rows; the real side is not looked at. */
    @Override
    public String name() {
        return "vendi";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.FAKE_FEATURES);
    }

    @Override
    public VendiResult compute(MetricInputs inputs) {
        return compute(inputs.fakeFeatures());
    }

    /** Which matrix's eigenvalues are computed. */
    public enum Route {
        /** {@link #FEATURE_GRAM} for the cosine kernel when there are more samples than dimensions, else {@link #SAMPLE_GRAM}. */
        AUTO,
        /** The n × n matrix {@code K/n}. */
        SAMPLE_GRAM,
        /** The d × d matrix {@code UᵀU/n} of the unit rows: the cosine kernel only. */
        FEATURE_GRAM
    }

    /** Diagonal entries of a user's kernel may differ from 1 by this much. */
    private static final double DIAGONAL_TOLERANCE = 1e-6;
    /** An eigenvalue of K/n below −this is not rounding. */
    private static final double NEGATIVE_TOLERANCE = 1e-9;

    private enum KernelType { COSINE, RBF, CUSTOM }

    private final KernelType type;
    private final double bandwidth;
    private final String kernelName;
    private final ToDoubleBiFunction<float[], float[]> kernel;
    private final double order;
    private final Route route;

    private VendiScore(Builder b) {
        this.type = b.type;
        this.bandwidth = b.bandwidth;
        this.kernelName = b.kernelName;
        this.kernel = b.kernel;
        this.order = b.order;
        this.route = b.route;
    }

    /** The defaults: cosine kernel, order 1, automatic route. */
    public static VendiScore create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private KernelType type = KernelType.COSINE;
        private double bandwidth = Double.NaN;
        private String kernelName = "cosine";
        private ToDoubleBiFunction<float[], float[]> kernel;
        private double order = 1;
        private Route route = Route.AUTO;

        private Builder() {}

        /** Cosine similarity of the rows (the default). */
        public Builder cosine() {
            this.type = KernelType.COSINE;
            this.kernelName = "cosine";
            this.kernel = null;
            return this;
        }

        /** The Gaussian RBF kernel {@code exp(−‖x − y‖²/(2σ²))} with bandwidth σ > 0. */
        public Builder rbf(double sigma) {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new InvalidInputException("the RBF bandwidth must be positive and finite, got " + sigma);
            }
            this.type = KernelType.RBF;
            this.bandwidth = sigma;
            this.kernelName = "rbf(sigma=" + sigma + ")";
            this.kernel = null;
            return this;
        }

        /**
         * A kernel on rows, named for reports: symmetric, positive semi-definite and 1 on the diagonal. It is called
         * with copies of the rows, {@code n(n+1)/2} times.
         */
        public Builder kernel(String name, ToDoubleBiFunction<float[], float[]> kernel) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new InvalidInputException("a user-supplied kernel needs a name for the reports");
            }
            this.type = KernelType.CUSTOM;
            this.kernelName = name;
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        /** The order q > 0 of the Rényi entropy ({@link Double#POSITIVE_INFINITY} for q = ∞); default 1 (Shannon). */
        public Builder order(double q) {
            if (!(q > 0)) {
                throw new InvalidInputException("the order q must be positive (or infinite), got " + q
                        + "; q = 0 would count the positive eigenvalues, which rounding decides");
            }
            this.order = q;
            return this;
        }

        /** Which matrix to take the eigenvalues of (default {@link Route#AUTO}). */
        public Builder route(Route route) {
            this.route = Objects.requireNonNull(route, "route");
            return this;
        }

        /**
         * @throws InvalidInputException if {@link Route#FEATURE_GRAM} is asked for with a kernel other than cosine
         */
        public VendiScore build() {
            if (route == Route.FEATURE_GRAM && type != KernelType.COSINE) {
                throw new InvalidInputException("the feature-Gram route (the d x d matrix of the unit rows) exists only for "
                        + "the cosine kernel, not " + kernelName);
            }
            return new VendiScore(this);
        }
    }

    /**
     * The Vendi score of the rows of {@code x}.
     *
     * @throws InvalidInputException on no rows, a non-finite value, a zero row (cosine kernel), a user kernel value that
     *     is not finite or a diagonal value that is not 1, a kernel matrix that is not positive semi-definite, or a
     *     sample count whose n × n matrix would not fit in an array
     */
    public VendiResult compute(FloatMatrix x) {
        Checks.samples(x, "features", 1);
        int n = x.rows();
        int d = x.cols();
        Route used = route;
        if (used == Route.AUTO) {
            used = type == KernelType.COSINE && n > d ? Route.FEATURE_GRAM : Route.SAMPLE_GRAM;
        }
        int m = used == Route.FEATURE_GRAM ? d : n;
        if ((long) m * m > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("the Vendi score of " + n + " samples needs an " + m + " x " + m
                    + " matrix, larger than Java arrays allow; use fewer samples"
                    + (type == KernelType.COSINE ? "" : " or the cosine kernel with fewer dimensions than samples"));
        }
        double[] a = switch (type) {
            case COSINE -> used == Route.FEATURE_GRAM ? featureGram(unitRows(x), n, d) : sampleGram(unitRows(x), n, d);
            case RBF -> rbfMatrix(x, bandwidth);
            case CUSTOM -> customMatrix(x, kernel, kernelName);
        };
        double[] ev = SymmetricEigenvalues.ofOverwriting(a, m);
        double value = fromEigenvalues(ev, order, kernelName);
        return new VendiResult(value, n, d, kernelName, order, used);
    }

    /** The rows scaled to unit length, in float64. */
    private static double[] unitRows(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        double[] norms = RowOps.squaredNorms(x);
        double[] u = new double[n * d];
        for (int i = 0; i < n; i++) {
            int off = i * d;
            double ss = norms[i];
            if (ss == 0) {
                throw new InvalidInputException("features row " + i + " is all zeros: the cosine kernel needs a direction; "
                        + "drop the row or choose another kernel");
            }
            double inv = 1 / Math.sqrt(ss);
            for (int j = 0; j < d; j++) {
                u[off + j] = v[off + j] * inv;
            }
        }
        return u;
    }

    /** {@code UᵀU/n}, d × d, both triangles. */
    private static double[] featureGram(double[] u, int n, int d) {
        double[] c = new double[d * d];
        DoubleGemm.defaultGemm().syrkUpper(d, n, 1.0 / n, u, 0, d, 0, c, 0, d);
        mirrorUpper(c, d);
        return c;
    }

    /** {@code UUᵀ/n}, n × n, both triangles. */
    private static double[] sampleGram(double[] u, int n, int d) {
        double[] c = gram(u, n, d, 1.0 / n);
        mirrorUpper(c, n);
        return c;
    }

    /** The upper triangle of {@code α·XXᵀ} for row-major {@code x} (n × d), by the syrk of its transpose. */
    private static double[] gram(double[] x, int n, int d, double alpha) {
        double[] t = new double[d * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                t[j * n + i] = x[i * d + j];
            }
        }
        double[] c = new double[n * n];
        DoubleGemm.defaultGemm().syrkUpper(n, d, alpha, t, 0, n, 0, c, 0, n);
        return c;
    }

    /**
     * {@code K/n} for the RBF kernel, lower triangle: squared distances {@code ‖x_i‖² + ‖x_j‖² − 2x_i·x_j} from the
     * float64 Gram matrix, clamped at 0, and exactly 0 on the diagonal.
     */
    private static double[] rbfMatrix(FloatMatrix x, double sigma) {
        int n = x.rows();
        int d = x.cols();
        float[] v = x.data();
        double[] xd = new double[n * d];
        for (int i = 0; i < xd.length; i++) {
            xd[i] = v[i];
        }
        double[] g = gram(xd, n, d, 1);
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            sq[i] = g[i * n + i];
        }
        double scale = -1 / (2 * sigma * sigma);
        double invN = 1.0 / n;
        for (int i = 0; i < n; i++) {
            g[i * n + i] = invN;
            for (int j = 0; j < i; j++) {
                double d2 = Math.max(0, sq[i] + sq[j] - 2 * g[j * n + i]);
                g[i * n + j] = Math.exp(d2 * scale) * invN;
            }
        }
        return g;
    }

    /** {@code K/n} for a user's kernel, lower triangle, checking each value and the diagonal. */
    private static double[] customMatrix(FloatMatrix x, ToDoubleBiFunction<float[], float[]> k, String name) {
        int n = x.rows();
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = x.row(i);
        }
        double invN = 1.0 / n;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = k.applyAsDouble(rows[i], rows[j]);
                if (!Double.isFinite(v)) {
                    throw new InvalidInputException("the kernel " + name + " gave " + v + " for rows " + i + " and " + j);
                }
                if (i == j && Math.abs(v - 1) > DIAGONAL_TOLERANCE) {
                    throw new InvalidInputException(String.format(Locale.ROOT,
                            "the kernel %s gave k(x, x) = %.9g for row %d; the Vendi score needs k(x, x) = 1 (a similarity "
                                    + "normalised so, e.g. k(x, y)/sqrt(k(x, x) k(y, y)))", name, v, i));
                }
                a[i * n + j] = v * invN;
            }
        }
        return a;
    }

    /** Copies the upper triangle onto the lower one. */
    private static void mirrorUpper(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                c[i * n + j] = c[j * n + i];
            }
        }
    }

    /**
     * {@code exp} of the order-q entropy of the eigenvalues of {@code K/n}, leaving out the numerical zeros (at most
     * {@code m·ε·max λ}) and the negative rounding errors.
     *
     * @throws InvalidInputException if an eigenvalue is below −1e-9: the kernel is not positive semi-definite
     */
    static double fromEigenvalues(double[] ev, double q, String kernelName) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : ev) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min < -NEGATIVE_TOLERANCE) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "the kernel %s is not positive semi-definite on these samples: K/n has the eigenvalue %.3g; "
                            + "the Vendi score needs a positive semi-definite similarity", kernelName, min));
        }
        if (q == Double.POSITIVE_INFINITY) {
            return 1 / max;
        }
        double zero = ev.length * Math.ulp(1.0) * max;
        double s = 0;
        for (double v : ev) {
            if (v > zero) {
                s += q == 1 ? v * Math.log(v) : Math.pow(v, q);
            }
        }
        return q == 1 ? Math.exp(-s) : Math.exp(Math.log(s) / (1 - q));
    }
}
