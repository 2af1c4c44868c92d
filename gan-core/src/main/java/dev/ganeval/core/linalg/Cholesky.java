package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.Objects;

/**
 * Blocked right-looking Cholesky factorisation {@code A = L·Lᵀ} of a symmetric positive-definite float64
 * matrix (row-major, {@code n × n}): 64-column panels factored and solved in place, the trailing matrix updated
 * with the float64 GEMM. About {@code n³/3} multiply-adds, most of them in the GEMM.
 */
public final class Cholesky {
    private static final int NB = 64;
    private static final int UPDATE_ROWS = 256;

    private Cholesky() {}

    /**
     * The lower factor L (upper triangle zero), or null when A is not positive definite (a pivot ≤ 0 or not
     * finite). Only the lower triangle of {@code a} is read; {@code a} is not modified.
     */
    public static double[] lower(double[] a, int n) {
        Objects.requireNonNull(a, "a");
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a has " + a.length + " elements, not " + n + "x" + n);
        }
        double[] l = a.clone();
        DoubleGemm gemm = DoubleGemm.defaultGemm();
        double[] panel = new double[NB * Math.max(0, n - NB)];
        for (int k0 = 0; k0 < n; k0 += NB) {
            int b = Math.min(NB, n - k0);
            // Factor the diagonal block.
            for (int j = k0; j < k0 + b; j++) {
                double s = l[j * n + j] - DoubleDots.dot(l, j * n + k0, l, j * n + k0, j - k0);
                if (!(s > 0) || !Double.isFinite(s)) {
                    return null;
                }
                double djj = Math.sqrt(s);
                l[j * n + j] = djj;
                for (int i = j + 1; i < k0 + b; i++) {
                    l[i * n + j] = (l[i * n + j] - DoubleDots.dot(l, i * n + k0, l, j * n + k0, j - k0)) / djj;
                }
            }
            // Panel below: L21 = A21 · L11⁻ᵀ by forward substitution. Row by row that is b short dot products per
            // row; on the transposed panel it is b²/2 long axpys down whole columns, split by rows over threads.
            int m = n - (k0 + b);
            if (m > 0) {
                solvePanel(l, n, k0, b, m, panel, gemm.threads());
            }
            // Trailing update A22 -= L21 · L21ᵀ on the lower triangle only, by blocks of rows (the upper part is
            // never read and is cleared at the end).
            for (int i0 = k0 + b; i0 < n; i0 += UPDATE_ROWS) {
                int i1 = Math.min(n, i0 + UPDATE_ROWS);
                gemm.gemm(Transpose.NONE, Transpose.TRANSPOSE, i1 - i0, i1 - (k0 + b), b, -1, l, i0 * n + k0, n,
                        l, (k0 + b) * n + k0, n, 1, l, i0 * n + k0 + b, n);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                l[i * n + j] = 0;
            }
        }
        return l;
    }

    /** {@code L[k0+b:n, k0:k0+b] ← A[…]·L11⁻ᵀ}, the m × b panel transposed into {@code pt} (column j at j·m). */
    private static void solvePanel(double[] l, int n, int k0, int b, int m, double[] pt, int threads) {
        int s = k0 + b;
        int parts = m < 256 ? 1 : threads;
        Parallel.run(parts, part -> {
            // Row ranges in whole vectors (8 doubles), so both threads run full-width loops.
            int r0 = (int) ((long) m * part / parts) & ~7;
            int r1 = part == parts - 1 ? m : (int) ((long) m * (part + 1) / parts) & ~7;
            int len = r1 - r0;
            for (int r = r0; r < r1; r++) {
                int row = (s + r) * n + k0;
                for (int j = 0; j < b; j++) {
                    pt[j * m + r] = l[row + j];
                }
            }
            for (int j = 0; j < b; j++) {
                int jr = (k0 + j) * n + k0;
                for (int p = 0; p < j; p++) {
                    DoubleDots.axpy(-l[jr + p], pt, p * m + r0, pt, j * m + r0, len);
                }
                double inv = 1 / l[jr + j];
                for (int r = j * m + r0, end = j * m + r1; r < end; r++) {
                    pt[r] *= inv;
                }
            }
            for (int r = r0; r < r1; r++) {
                int row = (s + r) * n + k0;
                for (int j = 0; j < b; j++) {
                    l[row + j] = pt[j * m + r];
                }
            }
        });
    }
}
