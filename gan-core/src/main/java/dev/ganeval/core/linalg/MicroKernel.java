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

    /** A short label for logs and benchmark reports, e.g. {@code vector-512 8x32}. */
    String name();
}
