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
                double s = l[j * n + j];
                for (int p = k0; p < j; p++) {
                    s -= l[j * n + p] * l[j * n + p];
                }
                if (!(s > 0) || !Double.isFinite(s)) {
                    return null;
                }
                double djj = Math.sqrt(s);
                l[j * n + j] = djj;
                for (int i = j + 1; i < k0 + b; i++) {
                    double t = l[i * n + j];
                    for (int p = k0; p < j; p++) {
                        t -= l[i * n + p] * l[j * n + p];
                    }
                    l[i * n + j] = t / djj;
                }
            }
            // Panel below: L21 = A21 · L11⁻ᵀ, row by row.
            for (int i = k0 + b; i < n; i++) {
                int row = i * n;
                for (int j = k0; j < k0 + b; j++) {
                    double t = l[row + j];
                    for (int p = k0; p < j; p++) {
                        t -= l[row + p] * l[j * n + p];
                    }
                    l[row + j] = t / l[j * n + j];
                }
            }
            // Trailing update A22 -= L21 · L21ᵀ (full square; the upper part is cleared at the end).
            int m = n - k0 - b;
            if (m > 0) {
                int off = (k0 + b) * n + k0;
                gemm.gemm(Transpose.NONE, Transpose.TRANSPOSE, m, m, b, -1, l, off, n, l, off, n, 1,
                        l, (k0 + b) * n + k0 + b, n);
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
