package dev.ganeval.core.linalg;

import java.util.Arrays;

/**
 * The portable micro-kernel: plain Java, 4×16 tile. The inner loop over 16 columns is written so that
 * C2's auto-vectoriser turns it into SIMD where it can; it is the fallback when the Vector API module is
 * not readable, and the reference the vector kernel is tested against.
 *
 * <p>Where the processor has fused multiply-adds it uses them ({@link Math#fma}), in the order the vector kernels
 * do: every entry's products summed in k order from zero, then added to C, so a product has the same bits with or
 * without the Vector API. Without FMA hardware {@code Math.fma} runs in software, far too slowly, so the products are
 * rounded before they are added there.
 */
final class PlainMicroKernel implements MicroKernel {
    static final int MR = 4;
    static final int NR = 16;

    private final boolean fused;

    /** Fused multiply-adds where the hardware has them. */
    PlainMicroKernel() {
        this(VectorSupport.fma());
    }

    PlainMicroKernel(boolean fused) {
        this.fused = fused;
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiplyAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float[] acc) {
        Arrays.fill(acc, 0, MR * NR, 0f);
        // Two loops rather than a test in one, so each stays a plain loop for C2 to vectorise.
        if (fused) {
            for (int p = 0; p < kc; p++) {
                int ap = aOff + p * MR;
                int bp = bOff + p * NR;
                for (int r = 0; r < MR; r++) {
                    float av = a[ap + r];
                    int base = r * NR;
                    for (int j = 0; j < NR; j++) {
                        acc[base + j] = Math.fma(av, b[bp + j], acc[base + j]);
                    }
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int ap = aOff + p * MR;
                int bp = bOff + p * NR;
                for (int r = 0; r < MR; r++) {
                    float av = a[ap + r];
                    int base = r * NR;
                    for (int j = 0; j < NR; j++) {
                        acc[base + j] += av * b[bp + j];
                    }
                }
            }
        }
        for (int r = 0; r < MR; r++) {
            int row = cOff + r * ldc;
            for (int j = 0; j < NR; j++) {
                c[row + j] += acc[r * NR + j];
            }
        }
    }

    @Override
    public String name() {
        return "plain " + MR + "x" + NR + (fused ? " fma" : "");
    }
}
