package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Two-stage reduction of a symmetric matrix to tridiagonal form, for eigenvalues of large matrices. The one-stage
 * reduction ({@code dsytrd}) spends half its flops in matrix-vector products that stream the whole trailing
 * matrix from memory once per column; here that work becomes matrix-matrix products:
 *
 * <ol>
 *   <li>{@link #toBand}: dense → band of half-width b, panel by panel: a Householder QR of the b columns below the
 *   band, then the two-sided update {@code A₂₂ ← Qᵀ·A₂₂·Q} with {@code Q = I − V·T·Vᵀ} as a symmetric product and
 *   a rank-2b update, both on the float64 GEMM (about {@code 4n³/3} flops, all level 3);</li>
 *   <li>{@link #bandToTridiagonal}: band → tridiagonal by bulge chasing (Lang's sweeps, as in LAPACK's
 *   {@code dsb2st}): for each column a reflector of length ≤ b, whose bulge is chased down the band by further
 *   reflectors on b × b blocks (about {@code 6·b·n²} flops, all in cache).</li>
 * </ol>
 *
 * Both stages work in place on a row-major {@code n × n} array and read and write only its lower triangle.
 */
final class BandReduction {
    private static final int ROW_BLOCK = 256;
    private static final int SYMM_ROWS = 128;

    /** Zeros after each row of the compact band: the widest double vector (AVX-512). */
    static final int PAD = 8;

    private BandReduction() {}

    /** Row stride of {@link #compactBand}: 2b band values below the diagonal, the diagonal, PAD zeros. */
    static int bandStride(int b) {
        return 2 * b + PAD;
    }

    /** Reduces {@code a} (lower triangle) to tridiagonal form: diagonal {@code d}, sub-diagonal {@code e[0..n-2]}. */
    static void tridiagonalize(double[] a, int n, int b, double[] d, double[] e) {
        toBand(a, n, b);
        bandToTridiagonal(a, n, b, d, e);
    }

    /** Stage 1: afterwards {@code a[r][c] = 0} for {@code r − c > b} (lower triangle); eigenvalues unchanged. */
    static void toBand(double[] a, int n, int b) {
        DoubleGemm gemm = DoubleGemm.defaultGemm();
        int maxM = Math.max(0, n - b);
        double[] panel = new double[b * Math.max(1, maxM)];
        double[] tau = new double[b];
        double[] t = new double[b * b];
        double[] v = new double[maxM * b];
        double[] y = new double[maxM * b];
        double[] x = new double[maxM * b];
        double[] z = new double[b * b];
        double[] z2 = new double[b * b];
        double[] vw = new double[maxM * 2 * b];
        double[] wv = new double[maxM * 2 * b];
        double[][] diag = new double[gemm.threads()][SYMM_ROWS * SYMM_ROWS];
        for (int k = 0; k + b < n - 1; k += b) {
            int s = k + b;
            int m = n - s;
            int nb = Math.min(b, m);
            // The panel A[s:n, k:k+b] as columns (column j at j·m), factored A = Q·R in place.
            for (int r = 0; r < m; r++) {
                int row = (s + r) * n + k;
                for (int j = 0; j < b; j++) {
                    panel[j * m + r] = a[row + j];
                }
            }
            for (int j = 0; j < nb; j++) {
                tau[j] = householder(panel, j * m + j, m - j);
                if (tau[j] != 0) {
                    // Apply H_j to the panel's remaining columns.
                    for (int c = j + 1; c < b; c++) {
                        int col = c * m;
                        double w = panel[col + j] + DoubleDots.dot(panel, j * m + j + 1, panel, col + j + 1, m - j - 1);
                        w *= tau[j];
                        panel[col + j] -= w;
                        for (int r = j + 1; r < m; r++) {
                            panel[col + r] -= w * panel[j * m + r];
                        }
                    }
                }
            }
            // R goes back into the band; everything below it is now zero.
            for (int r = 0; r < m; r++) {
                int row = (s + r) * n + k;
                for (int j = 0; j < b; j++) {
                    a[row + j] = r <= j ? panel[j * m + r] : 0;
                }
            }
            // V (m × nb, row-major, unit diagonal) and T (nb × nb upper) with Q = H_0⋯H_{nb−1} = I − V·T·Vᵀ.
            Arrays.fill(v, 0, m * nb, 0);
            for (int j = 0; j < nb; j++) {
                v[j * nb + j] = 1;
                for (int r = j + 1; r < m; r++) {
                    v[r * nb + j] = panel[j * m + r];
                }
            }
            // G = Vᵀ·V on the GEMM (the strided column dots would cost more than the rest of the panel).
            double[] g = z2;
            gemm.gemm(Transpose.TRANSPOSE, Transpose.NONE, nb, nb, m, 1, v, 0, nb, v, 0, nb, 0, g, 0, nb);
            Arrays.fill(t, 0, nb * nb, 0);
            for (int j = 0; j < nb; j++) {
                t[j * nb + j] = tau[j];
                if (tau[j] == 0) {
                    continue;
                }
                // T[0:j, j] = −τ_j · T[0:j, 0:j] · (V[:, 0:j]ᵀ · v_j)
                for (int i = 0; i < j; i++) {
                    double sum = 0;
                    for (int l = i; l < j; l++) {
                        sum += t[i * nb + l] * g[l * nb + j];
                    }
                    t[i * nb + j] = -tau[j] * sum;
                }
            }
            // Y = V·T, X = A₂₂·Y (A₂₂ symmetric, lower triangle), Z = Tᵀ·(Vᵀ·X), W = X − ½·V·Z.
            gemm.gemm(Transpose.NONE, Transpose.NONE, m, nb, nb, 1, v, 0, nb, t, 0, nb, 0, y, 0, nb);
            symmetricTimes(a, n, s, m, y, nb, x, diag);
            gemm.gemm(Transpose.TRANSPOSE, Transpose.NONE, nb, nb, m, 1, v, 0, nb, x, 0, nb, 0, z2, 0, nb);
            gemm.gemm(Transpose.TRANSPOSE, Transpose.NONE, nb, nb, nb, 1, t, 0, nb, z2, 0, nb, 0, z, 0, nb);
            gemm.gemm(Transpose.NONE, Transpose.NONE, m, nb, nb, -0.5, v, 0, nb, z, 0, nb, 1, x, 0, nb);
            // A₂₂ −= V·Wᵀ + W·Vᵀ as [V W]·[W V]ᵀ, lower triangle only, by blocks of rows.
            for (int r = 0; r < m; r++) {
                System.arraycopy(v, r * nb, vw, r * 2 * nb, nb);
                System.arraycopy(x, r * nb, vw, r * 2 * nb + nb, nb);
                System.arraycopy(x, r * nb, wv, r * 2 * nb, nb);
                System.arraycopy(v, r * nb, wv, r * 2 * nb + nb, nb);
            }
            for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
                int i1 = Math.min(m, i0 + ROW_BLOCK);
                gemm.gemm(Transpose.NONE, Transpose.TRANSPOSE, i1 - i0, i1, 2 * nb, -1, vw, i0 * 2 * nb, 2 * nb, wv, 0, 2 * nb,
                        1, a, (s + i0) * n + s, n);
            }
        }
    }

    /**
     * {@code x = A₂₂·y} for the symmetric {@code m × m} trailing matrix at {@code (s, s)} of which only the lower
     * triangle is valid. Per block of rows I: the part left of the diagonal block, the diagonal block (made
     * symmetric in a buffer), and the transpose of the part below it, so block I writes only x[I] and blocks run
     * on separate threads. Every block reads about m·|I| values, so dealing them round-robin balances the work.
     * No packing: y is skinny, and packing the big operand would cost as much as the products.
     */
    private static void symmetricTimes(double[] a, int n, int s, int m, double[] y, int nb, double[] x, double[][] diag) {
        int blocks = (m + SYMM_ROWS - 1) / SYMM_ROWS;
        int parts = Math.min(diag.length, (long) m * m < 1L << 16 ? 1 : blocks);
        Parallel.run(parts, part -> {
            double[] dg = diag[part];
            for (int blk = part; blk < blocks; blk += parts) {
                int i0 = blk * SYMM_ROWS;
                int i1 = Math.min(m, i0 + SYMM_ROWS);
                int ni = i1 - i0;
                Arrays.fill(x, i0 * nb, i1 * nb, 0);
                for (int r = 0; r < ni; r++) {
                    int row = (s + i0 + r) * n + s + i0;
                    for (int c = 0; c <= r; c++) {
                        double val = a[row + c];
                        dg[r * ni + c] = val;
                        dg[c * ni + r] = val;
                    }
                }
                DoubleDots.rowsTimes(dg, 0, ni, ni, ni, y, i0 * nb, x, i0 * nb, nb);
                if (i0 > 0) {
                    DoubleDots.rowsTimes(a, (s + i0) * n + s, n, ni, i0, y, 0, x, i0 * nb, nb);
                }
                if (i1 < m) {
                    DoubleDots.transposedTimes(a, (s + i1) * n + s + i0, n, m - i1, ni, y, i1 * nb, x, i0 * nb, nb);
                }
            }
        });
    }

    /**
     * A reflector {@code H = I − τ·u·uᵀ} with {@code H·x = β·e₁} for the {@code len} values at {@code x[off..]}:
     * β is written to {@code x[off]}, {@code u[1..]} over {@code x[off+1..]} (u₀ = 1 implied); returns τ (0 when
     * there is nothing to annihilate).
     */
    private static double householder(double[] x, int off, int len) {
        if (len < 2) {
            return 0;
        }
        double alpha = x[off];
        double big = 0;
        for (int r = 1; r < len; r++) {
            big = Math.max(big, Math.abs(x[off + r]));
        }
        if (big == 0) {
            return 0;
        }
        double ss = 0;
        double inv = 1 / big;
        for (int r = 1; r < len; r++) {
            double q = x[off + r] * inv;
            ss += q * q;
        }
        double xnorm = big * Math.sqrt(ss);
        double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        double scale = 1 / (alpha - beta);
        for (int r = 1; r < len; r++) {
            x[off + r] *= scale;
        }
        x[off] = beta;
        return tau;
    }

    /**
     * Stage 2: the band (half-width b, lower triangle of {@code a}) to tridiagonal form by bulge chasing. Sweep i
     * annihilates column i below its sub-diagonal with a reflector on rows i+1..i+b, applies it to the diagonal
     * block, and pushes the bulge it creates in the block below down the band, one b × b block per step. The band
     * is first copied into {@link #compactBand compact storage}: in the n-column array every row of a b × b block
     * lies a power-of-two stride apart, so the block's rows compete for the same few L1 sets and the chase ran
     * from L2 at a third of the speed.
     */
    static void bandToTridiagonal(double[] a, int n, int b, double[] d, double[] e) {
        double[] band = compactBand(a, n, b);
        chase(band, n, b);
        int ld = bandStride(b);
        for (int i = 0; i < n; i++) {
            d[i] = band[(i + 1) * ld + i];
            if (i + 1 < n) {
                e[i] = band[(i + 2) * ld + i];
            }
        }
    }

    /**
     * The lower band of {@code a} with room for the bulges: element (r, c), r − 2b ≤ c ≤ r, at {@code (r+1)·ld + c}
     * with {@code ld = }{@link #bandStride}{@code (b)}: a row-major matrix of row stride ld, skewed so that each row
     * holds its 2b+1 band values followed by {@link #PAD} zeros. The chase reaches at most 2b − 1 below the
     * diagonal; the zeros let the diagonal block's rows be read a whole number of vectors long.
     */
    static double[] compactBand(double[] a, int n, int b) {
        int ld = bandStride(b);
        double[] band = new double[(n + 1) * ld + n];
        for (int r = 0; r < n; r++) {
            int c0 = Math.max(0, r - b);
            System.arraycopy(a, r * n + c0, band, (r + 1) * ld + c0, r - c0 + 1);
        }
        return band;
    }

    /** The bulge chase on {@link #compactBand compact band storage}; see {@link #bandToTridiagonal}. */
    static void chase(double[] band, int n, int b) {
        int ld = bandStride(b);
        int threads = (long) n * b < 1L << 14 ? 1 : Math.min(2, DoubleGemm.defaultGemm().threads());
        // Sweeps are pipelined over the threads, sweep i on thread i mod T. Sweep i's step k touches rows
        // [i+1+kb, i+1+(k+2)b) and columns [i+1+(k−1)b, i+1+(k+1)b), so sweep i+1 may run step k once sweep i has
        // finished its steps up to k+2. progress[i mod T] holds (sweep << 32) | steps finished.
        AtomicLongArray progress = new AtomicLongArray(threads);
        for (int t = 0; t < threads; t++) {
            progress.set(t, ((long) (t - threads) << 32) | Integer.MAX_VALUE);
        }
        Parallel.run(threads, part -> {
            double[] u = new double[b + PAD + 1];
            double[] p = new double[b + PAD];
            double[] acc = new double[b];
            for (int i = part; i + 2 < n; i += threads) {
                int prevSlot = (i - 1 + threads) % threads;
                int mySlot = i % threads;
                int col = i;
                int start = i + 1;
                int prevEnd = -1;
                int step = 0;
                while (start < n) {
                    if (i > 0) {
                        waitFor(progress, prevSlot, i - 1, step + 3);
                    }
                    int len = Math.min(b, n - start);
                    double tau = columnReflector(band, ld, start, col, len, u);
                    if (tau != 0) {
                        // The reflector also goes over column col itself (it makes it β·e₁), so the block is a
                        // whole number of vectors wide; the exact β and zeros are written afterwards.
                        if (prevEnd > col) {
                            DoubleDots.reflectRows(band, (start + 1) * ld + col, ld, len, prevEnd - col, u, tau, acc);
                        }
                        setColumn(band, ld, start, col, len, u);
                        twoSided(band, ld, start, len, u, tau, p);
                        int below = Math.min(n, start + len + b);
                        if (below > start + len) {
                            DoubleDots.reflectColumns(band, (start + len + 1) * ld + start, ld, below - start - len, len, u, tau);
                        }
                    }
                    col = start;
                    prevEnd = start + len;
                    start += len;
                    step++;
                    progress.set(mySlot, ((long) i << 32) | step);
                }
                progress.set(mySlot, ((long) i << 32) | Integer.MAX_VALUE);
            }
        });
    }

    /** Spins until sweep {@code sweep} has finished {@code steps} steps (or all of them). */
    private static void waitFor(AtomicLongArray progress, int slot, int sweep, int steps) {
        while (true) {
            long v = progress.get(slot);
            int s = (int) (v >> 32);
            if (s > sweep || (s == sweep && (int) v >= steps)) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * The reflector annihilating {@code a[start+1 .. start+len)[col]} into {@code a[start][col]}: returns τ and
     * leaves u (u₀ = 1) in {@code u[0..len)}, zeros after it up to {@code len + PAD}, and β in the last element
     * of {@code u} for {@link #setColumn}.
     */
    private static double columnReflector(double[] a, int ld, int start, int col, int len, double[] u) {
        for (int r = 0; r < len; r++) {
            u[r] = a[(start + r + 1) * ld + col];
        }
        double tau = householder(u, 0, len);
        if (tau != 0) {
            u[u.length - 1] = u[0];
            u[0] = 1;
            Arrays.fill(u, len, len + PAD, 0);
        }
        return tau;
    }

    /** Column col of the reflector's rows becomes exactly β·e₁ (β kept in the last element of u). */
    private static void setColumn(double[] a, int ld, int start, int col, int len, double[] u) {
        a[(start + 1) * ld + col] = u[u.length - 1];
        for (int r = 1; r < len; r++) {
            a[(start + r + 1) * ld + col] = 0;
        }
    }

    /** {@code S ← H·S·H} for the symmetric block at {@code (s, s)}, lower triangle only. */
    private static void twoSided(double[] a, int ld, int s, int len, double[] u, double tau, double[] p) {
        Arrays.fill(p, 0, len, 0);
        for (int r = 0; r < len; r++) {
            int row = (s + r + 1) * ld + s;
            double ur = u[r];
            // Up to the diagonal and on into the zero padding, so the vector kernel needs no scalar tail; that
            // counts the diagonal in both the dot and the axpy, hence the correction.
            int span = (r + PAD) / PAD * PAD;
            double dot = DoubleDots.dotAndAxpy(a, row, u, 0, p, 0, span, ur); // adds to p[r] as well: not "p[r] +="
            p[r] += dot - a[row + r] * ur;
        }
        double k = 0;
        for (int r = 0; r < len; r++) {
            p[r] *= tau;
            k += u[r] * p[r];
        }
        k *= 0.5 * tau;
        for (int r = 0; r < len; r++) {
            p[r] -= k * u[r];
        }
        for (int r = 0; r < len; r++) {
            DoubleDots.subtractTwo(a, (s + r + 1) * ld + s, r + 1, u[r], p, p[r], u);
        }
    }
}
