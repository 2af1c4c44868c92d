package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.Objects;

/**
 * Cholesky factorisation with diagonal pivoting of a symmetric positive semi-definite float64 matrix, stopped at
 * its numerical rank (LAPACK {@code dpstrf}'s scheme): {@code Pᵀ·A·P ≈ L·Lᵀ} with L lower trapezoidal, {@code n × r}.
 * Each step takes the largest remaining diagonal as the pivot and the factorisation stops when it is at most
 * {@code n·ε·max(diag A)}, so a singular covariance (fewer samples than dimensions, constant or dependent features)
 * factors as exactly as a regular one, in about {@code n²·r/2} multiply-adds: 64-column panels computed column by
 * column, the trailing matrix updated with the float64 GEMM.
 */
public final class PivotedCholesky {
    private static final int NB = 64;

    private PivotedCholesky() {}

    /**
     * The factor: {@code lower} is {@code n × n} row-major with L in its first {@code rank} columns and zeros
     * elsewhere (so it can stand in for a full lower-triangular factor); row i of L belongs to row and column
     * {@code perm[i]} of A, that is {@code A[perm[i]][perm[j]] ≈ (L·Lᵀ)[i][j]}.
     */
    public record Factor(double[] lower, int[] perm, int rank) {}

    /**
     * Factors A; only its lower triangle is read and {@code a} is not modified.
     *
     * @throws IllegalArgumentException if an element of the lower triangle is NaN or infinite
     */
    public static Factor of(double[] a, int n) {
        Objects.requireNonNull(a, "a");
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a has " + a.length + " elements, not " + n + "x" + n);
        }
        // Full symmetric storage, so that a pivot is a plain swap of two rows and two columns.
        double[] l = new double[n * n];
        double maxDiag = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[i * n + j];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("element (" + i + ", " + j + ") is " + v + "; the matrix must be finite");
                }
                l[i * n + j] = v;
                l[j * n + i] = v;
            }
            maxDiag = Math.max(maxDiag, a[i * n + i]);
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        double tol = n * Math.ulp(1.0) * maxDiag;
        double[] diag = new double[n];
        DoubleGemm gemm = DoubleGemm.defaultGemm();
        int rank = n;
        panels:
        for (int k0 = 0; k0 < n; k0 += NB) {
            int b = Math.min(NB, n - k0);
            // The Schur complement's diagonal as the last trailing update left it, then kept current column by column.
            for (int i = k0; i < n; i++) {
                diag[i] = l[i * n + i];
            }
            for (int j = k0; j < k0 + b; j++) {
                int p = j;
                for (int i = j + 1; i < n; i++) {
                    if (diag[i] > diag[p]) {
                        p = i;
                    }
                }
                if (!(diag[p] > tol)) {
                    rank = j;
                    break panels;
                }
                if (p != j) {
                    swap(l, n, k0, j, p);
                    double t = diag[j];
                    diag[j] = diag[p];
                    diag[p] = t;
                    int q = perm[j];
                    perm[j] = perm[p];
                    perm[p] = q;
                }
                double ljj = Math.sqrt(diag[j]);
                l[j * n + j] = ljj;
                // Column j below the diagonal, less what this panel's earlier columns took (earlier panels' share
                // is already out of the trailing matrix).
                for (int i = j + 1; i < n; i++) {
                    double v = (l[i * n + j] - DoubleDots.dot(l, i * n + k0, l, j * n + k0, j - k0)) / ljj;
                    l[i * n + j] = v;
                    diag[i] -= v * v;
                }
            }
            int s = k0 + b;
            int m = n - s;
            if (m > 0) {
                // A22 -= L21·L21ᵀ over the whole square, keeping both triangles for the next panel's swaps.
                gemm.gemm(Transpose.NONE, Transpose.TRANSPOSE, m, m, b, -1, l, s * n + k0, n, l, s * n + k0, n,
                        1, l, s * n + s, n);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = Math.min(i + 1, rank); j < n; j++) {
                l[i * n + j] = 0;
            }
        }
        return new Factor(l, perm, rank);
    }

    /**
     * Exchanges index j and p (p > j) of the matrix: rows j and p whole (their first columns hold L), and
     * columns j and p in the rows from the panel start on (the rows above hold only finished L).
     */
    private static void swap(double[] l, int n, int k0, int j, int p) {
        for (int c = 0; c < n; c++) {
            double t = l[j * n + c];
            l[j * n + c] = l[p * n + c];
            l[p * n + c] = t;
        }
        for (int r = k0; r < n; r++) {
            double t = l[r * n + j];
            l[r * n + j] = l[r * n + p];
            l[r * n + p] = t;
        }
    }
}
