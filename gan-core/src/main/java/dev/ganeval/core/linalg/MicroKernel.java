package dev.ganeval.core.linalg;

/**
 * The innermost GEMM step: {@code C[0:mr, 0:nr] += Ap · Bp} for one register tile.
 *
 * <p>{@code Ap} is a packed A micro-panel, {@code kc × mr}, stored k-major (the {@code mr} values of
 * column p are contiguous at {@code aOff + p * mr}); {@code Bp} is a packed B micro-panel, {@code kc × nr},
 * stored k-major likewise. C is row-major with leading dimension {@code ldc}. Costs {@code 2·mr·nr·kc}
 * FLOP. The tile is always full: the driver routes edge tiles through a scratch tile.
 */
interface MicroKernel {
    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    void multiplyAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc);

    /**
     * Packs a full A micro-panel from {@code mr} rows stored row-major: {@code ap[apOff + p·mr + r] =
     * α·a[src + r·lda + p]} for p < kc, r < mr. A transpose, so the rows are read in short runs that stay in L1.
     */
    default void packRows(int kc, float alpha, float[] a, int src, int lda, float[] ap, int apOff) {
        int mr = mr();
        for (int p0 = 0; p0 < kc; p0 += 64) {
            int p1 = Math.min(kc, p0 + 64);
            for (int r = 0; r < mr; r++) {
                int row = src + r * lda;
                for (int p = p0; p < p1; p++) {
                    ap[apOff + p * mr + r] = alpha * a[row + p];
                }
            }
        }
    }

    /**
     * Packs a full B micro-panel from {@code nr} rows of a B stored transposed: {@code bp[bpOff + p·nr + j] =
     * b[src + j·ldb + p]} for p < kc, j < nr. 64 k steps at a time: long enough runs along each row for the
     * prefetcher, short enough for the strided writes to stay in L1.
     */
    default void packTransposedColumns(int kc, float[] b, int src, int ldb, float[] bp, int bpOff) {
        int nr = nr();
        for (int p0 = 0; p0 < kc; p0 += 64) {
            int p1 = Math.min(kc, p0 + 64);
            for (int j = 0; j < nr; j++) {
                int row = src + j * ldb;
                for (int p = p0; p < p1; p++) {
                    bp[bpOff + p * nr + j] = b[row + p];
                }
            }
        }
    }

    /** A short label for logs and benchmark reports, e.g. {@code vector-512 8x32}. */
    String name();
}
