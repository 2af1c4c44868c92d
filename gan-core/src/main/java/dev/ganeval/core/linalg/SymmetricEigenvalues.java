package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.Arrays;
import java.util.Objects;

/**
 * Eigenvalues of a symmetric float64 matrix: blocked Householder reduction to tridiagonal form (the scheme of
 * LAPACK's {@code dsytrd}/{@code dlatrd}: 32-column panels whose reflectors are accumulated and applied to the
 * trailing matrix as one rank-64 update through the float64 GEMM), then implicit QL iterations with Wilkinson
 * shifts on the tridiagonal matrix (O(n²)). About {@code 4n³/3} flops, half of them in matrix-vector products
 * that are split over threads. Large matrices take the two-stage reduction of {@link BandReduction} instead,
 * which turns those memory-bound products into matrix-matrix ones.
 */
public final class SymmetricEigenvalues {
    private static final int NB = 32;
    private static final int UPDATE_ROWS = 256;
    private static final int MAX_QL_ITERATIONS = 60;
    /**
     * From this size on, the two-stage reduction ({@link BandReduction}); below it the one-stage one, whose
     * matrix-vector products still run from cache. Overridable with {@code -Dganeval.eigen.twoStageMin}.
     */
    static final int TWO_STAGE_MIN = Integer.getInteger("ganeval.eigen.twoStageMin", 384);

    private SymmetricEigenvalues() {}

    /**
     * The eigenvalues in ascending order. {@code a} ({@code n × n}, row-major, symmetric) is not modified.
     *
     * @throws ArithmeticException if the QL iteration does not converge (not seen for finite input)
     */
    public static double[] of(double[] a, int n) {
        Objects.requireNonNull(a, "a");
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a has " + a.length + " elements, not " + n + "x" + n);
        }
        if (n == 0) {
            return new double[0];
        }
        return ofOverwriting(a.clone(), n);
    }

    /** As {@link #of}, but uses {@code a} as work space: its lower triangle is destroyed. Saves a copy. */
    public static double[] ofOverwriting(double[] a, int n) {
        Objects.requireNonNull(a, "a");
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a has " + a.length + " elements, not " + n + "x" + n);
        }
        if (n == 0) {
            return new double[0];
        }
        double[] d = new double[n];
        double[] e = new double[n];
        if (n >= TWO_STAGE_MIN) {
            BandReduction.tridiagonalize(a, n, DoubleDots.skinnyWidth(), d, e);
        } else {
            tridiagonalize(a, n, d, e);
        }
        ql(d, e, n);
        Arrays.sort(d);
        return d;
    }

    /**
     * Reduces the symmetric matrix {@code a} (overwritten; only its lower triangle is read and kept up to date) to
     * tridiagonal form: diagonal d, sub-diagonal e[0..n-2].
     */
    static void tridiagonalize(double[] a, int n, double[] d, double[] e) {
        double[] v = new double[NB * n];
        double[] w = new double[NB * n];
        double[] y = new double[n];
        double[] p = new double[NB];
        double[] q = new double[NB];
        DoubleGemm gemm = DoubleGemm.defaultGemm();
        int threads = gemm.threads();
        double[][] ys = new double[threads][n];
        double[] vw = new double[2 * NB * n];
        double[] col = new double[n];
        double[] wv = new double[2 * NB * n];
        for (int k0 = 0; k0 < n - 1; k0 += NB) {
            int b = Math.min(NB, n - 1 - k0);
            Arrays.fill(v, 0);
            Arrays.fill(w, 0);
            for (int i = 0; i < b; i++) {
                int j = k0 + i;
                // Bring column j up to date with this panel's earlier reflectors. Only the lower triangle of the
                // trailing matrix is maintained, so the column (below the diagonal) is gathered into a buffer once.
                for (int r = j; r < n; r++) {
                    col[r] = a[r * n + j];
                }
                for (int t = 0; t < i; t++) {
                    double vj = v[t * n + j];
                    double wj = w[t * n + j];
                    int vt = t * n;
                    for (int r = j; r < n; r++) {
                        col[r] -= v[vt + r] * wj + w[vt + r] * vj;
                    }
                }
                d[j] = col[j];
                // Householder reflector H = I − τ·u·uᵀ with H·x = β·e₁ for x = col[j+1:n].
                double alpha = col[j + 1];
                double xnorm = 0;
                double big = 0;
                for (int r = j + 2; r < n; r++) {
                    big = Math.max(big, Math.abs(col[r]));
                }
                if (big > 0) {
                    double ss = 0;
                    double inv = 1 / big;
                    for (int r = j + 2; r < n; r++) {
                        double z = col[r] * inv;
                        ss += z * z;
                    }
                    xnorm = big * Math.sqrt(ss);
                }
                double tau;
                double beta;
                int vi = i * n;
                v[vi + j + 1] = 1;
                if (xnorm == 0) {
                    tau = 0;
                    beta = alpha;
                } else {
                    beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
                    tau = (beta - alpha) / beta;
                    double scale = 1 / (alpha - beta);
                    for (int r = j + 2; r < n; r++) {
                        v[vi + r] = col[r] * scale;
                    }
                }
                e[j] = beta;
                if (tau == 0) {
                    continue;
                }
                // y = A₂₂·u with A₂₂ the trailing matrix as of the panel start, read once from its lower triangle:
                // row r gives y[r] its dot product and adds its entries times u[r] to y[lo..r). Rows are split
                // over threads by equal triangle area, each thread accumulating into its own y.
                int lo = j + 1;
                int span = n - lo;
                int parts = (long) span * span < 1L << 16 ? 1 : threads;
                for (int part = 0; part < parts; part++) {
                    Arrays.fill(ys[part], lo, n, 0);
                }
                Parallel.run(parts, part -> {
                    double[] yp = ys[part];
                    int r0 = lo + (int) Math.round(span * Math.sqrt((double) part / parts));
                    int r1 = lo + (int) Math.round(span * Math.sqrt((double) (part + 1) / parts));
                    for (int r = r0; r < r1; r++) {
                        double ur = v[vi + r];
                        double dot = DoubleDots.dotAndAxpy(a, r * n + lo, v, vi + lo, yp, lo, r - lo, ur);
                        yp[r] += dot + a[r * n + r] * ur;
                    }
                });
                for (int r = lo; r < n; r++) {
                    double sum = 0;
                    for (int part = 0; part < parts; part++) {
                        sum += ys[part][r];
                    }
                    y[r] = sum;
                }
                // Minus this panel's pending update (V·Wᵀ + W·Vᵀ)·u.
                for (int t = 0; t < i; t++) {
                    p[t] = DoubleDots.dot(w, t * n + lo, v, vi + lo, n - lo);
                    q[t] = DoubleDots.dot(v, t * n + lo, v, vi + lo, n - lo);
                }
                for (int t = 0; t < i; t++) {
                    double pt = p[t];
                    double qt = q[t];
                    int vt = t * n;
                    for (int r = lo; r < n; r++) {
                        y[r] -= v[vt + r] * pt + w[vt + r] * qt;
                    }
                }
                for (int r = lo; r < n; r++) {
                    y[r] *= tau;
                }
                double yu = DoubleDots.dot(y, lo, v, vi + lo, n - lo);
                double a2 = -0.5 * tau * yu;
                int wi = i * n;
                for (int r = lo; r < n; r++) {
                    w[wi + r] = y[r] + a2 * v[vi + r];
                }
            }
            // Trailing update A₂₂ −= V·Wᵀ + W·Vᵀ over rows and columns ≥ k0 + b, as one rank-2b GEMM:
            // [V; W]ᵀ·[W; V] (v and w are stored one reflector per row, so their stacks are contiguous).
            int s0 = k0 + b;
            int m = n - s0;
            if (m > 0) {
                System.arraycopy(v, 0, vw, 0, b * n);
                System.arraycopy(w, 0, vw, b * n, b * n);
                System.arraycopy(w, 0, wv, 0, b * n);
                System.arraycopy(v, 0, wv, b * n, b * n);
                // Lower triangle only, by blocks of rows (nothing reads the upper triangle).
                for (int i0 = s0; i0 < n; i0 += UPDATE_ROWS) {
                    int i1 = Math.min(n, i0 + UPDATE_ROWS);
                    gemm.gemm(Transpose.TRANSPOSE, Transpose.NONE, i1 - i0, i1 - s0, 2 * b, -1, vw, i0, n, wv, s0, n, 1,
                            a, i0 * n + s0, n);
                }
            }
        }
        d[n - 1] = a[(n - 1) * n + (n - 1)];
    }

    /**
     * The eigenvalues of the tridiagonal (d, e) by the root-free QL iteration of Pal, Walker and Kahan (EISPACK's
     * {@code tqlrat}, LAPACK's {@code dsterf}): it works on the squared off-diagonal and needs no square root per
     * rotation, about twice as fast as the implicit QL with rotations; the eigenvalues are left in d, unsorted.
     * An off-diagonal is dropped once its square falls below {@code (eps·t)²}, t the largest |d_l| + |e_l| seen:
     * eigenvalues are accurate to about eps·‖T‖, so a block of (near-)zero eigenvalues, as a rank-deficient
     * covariance gives, deflates instead of stalling. The matrix is scaled to unit norm first so the squares
     * neither overflow nor lose the large entries.
     */
    static void ql(double[] d, double[] e, int n) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]) + (i < n - 1 ? Math.abs(e[i]) : 0) + (i > 0 ? Math.abs(e[i - 1]) : 0));
        }
        if (norm == 0 || !Double.isFinite(norm)) {
            return; // the zero matrix (eigenvalues d = 0), or non-finite input that no iteration can fix
        }
        double[] e2 = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] /= norm;
            double v = i < n - 1 ? e[i] / norm : 0;
            e2[i] = v * v;
        }
        double eps = Math.ulp(1.0);
        double f = 0;
        double t = 0;
        double b = 0;
        double c = 0;
        for (int l = 0; l < n; l++) {
            int iter = 0;
            double h = Math.abs(d[l]) + Math.sqrt(e2[l]);
            if (t < h) {
                t = h;
                b = eps * t;
                c = b * b;
            }
            int m = l;
            while (e2[m] > c) {
                m++; // e2[n-1] = 0 stops this
            }
            if (m != l) {
                while (true) {
                    if (iter++ == MAX_QL_ITERATIONS) {
                        throw new ArithmeticException("tridiagonal QL did not converge");
                    }
                    // The shift: the eigenvalue of the leading 2x2 block nearer d[l].
                    double s = Math.sqrt(e2[l]);
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * s);
                    double r = Math.sqrt(p * p + 1);
                    d[l] = s / (p + Math.copySign(r, p));
                    h = g - d[l];
                    for (int i = l + 1; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    // The rational QL sweep from m − 1 up to l.
                    g = d[m];
                    if (g == 0) {
                        g = b;
                    }
                    h = g;
                    s = 0;
                    for (int i = m - 1; i >= l; i--) {
                        p = g * h;
                        r = p + e2[i];
                        e2[i + 1] = s * r;
                        s = e2[i] / r;
                        d[i + 1] = h + s * (h + d[i]);
                        g = d[i] - e2[i] / g;
                        if (g == 0) {
                            g = b;
                        }
                        h = g * p / r;
                    }
                    e2[l] = s * g;
                    d[l] = h;
                    if (h == 0 || Math.abs(e2[l]) <= Math.abs(c / h)) {
                        break;
                    }
                    e2[l] = h * e2[l];
                    if (e2[l] == 0) {
                        break;
                    }
                }
            }
            d[l] += f;
        }
        for (int i = 0; i < n; i++) {
            d[i] *= norm;
        }
    }
}
