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
            // Panel below: L21 = A21 · L11⁻ᵀ, row by row.
            for (int i = k0 + b; i < n; i++) {
                int row = i * n;
                for (int j = k0; j < k0 + b; j++) {
                    double t = l[row + j] - DoubleDots.dot(l, row + k0, l, j * n + k0, j - k0);
                    l[row + j] = t / l[j * n + j];
                }
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
}
