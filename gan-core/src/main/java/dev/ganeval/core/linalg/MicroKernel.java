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

    /**
     * {@code C[0:mr, 0:nr] += Ap · Bp}. {@code acc} is {@code mr·nr} values of the calling thread's scratch, which a
     * kernel that cannot keep its sums in registers may overwrite, so that none allocates per tile.
     */
    void multiplyAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float[] acc);

    /**
     * Packs a full A micro-panel from {@code mr} rows stored row-major: {@code ap[apOff + p·mr + r] =
     * α·a[src + r·lda + p]} for p < kc, r < mr.
     */
    default void packRows(int kc, float alpha, float[] a, int src, int lda, float[] ap, int apOff) {
        transposeRows(kc, alpha, a, src, lda, mr(), ap, apOff);
    }

    /**
     * Packs a full B micro-panel from {@code nr} rows of a B stored transposed: {@code bp[bpOff + p·nr + j] =
     * b[src + j·ldb + p]} for p < kc, j < nr.
     */
    default void packTransposedColumns(int kc, float[] b, int src, int ldb, float[] bp, int bpOff) {
        transposeRows(kc, 1f, b, src, ldb, nr(), bp, bpOff);
    }

    /**
     * {@code dst[dstOff + p·rows + r] = scale·x[src + r·ld + p]}, 64 k steps at a time: runs along each row long
     * enough for the prefetcher, strided writes confined to a block that stays in L1. (Scaling by 1 is exact.)
     */
    private static void transposeRows(int kc, float scale, float[] x, int src, int ld, int rows, float[] dst, int dstOff) {
        for (int p0 = 0; p0 < kc; p0 += 64) {
            int p1 = Math.min(kc, p0 + 64);
            for (int r = 0; r < rows; r++) {
                int row = src + r * ld;
                for (int p = p0; p < p1; p++) {
                    dst[dstOff + p * rows + r] = scale * x[row + p];
                }
            }
        }
    }

    /** A short label for logs and benchmark reports, e.g. {@code vector-512 8x32}. */
    String name();
}
