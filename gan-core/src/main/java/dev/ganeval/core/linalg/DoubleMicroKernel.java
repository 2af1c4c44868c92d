package dev.ganeval.core.linalg;

import java.util.Arrays;

/** The float64 counterpart of {@link MicroKernel}: {@code C[0:mr, 0:nr] += Ap · Bp}, full tiles only. */
interface DoubleMicroKernel {
    int mr();

    int nr();

    /** {@code C[0:mr, 0:nr] += Ap · Bp}, with {@code acc} as in {@link MicroKernel#multiplyAdd}. */
    void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc, double[] acc);

    String name();

    /**
     * Portable 4×8 kernel; the inner loop is left for C2 to auto-vectorise. With FMA hardware it sums each entry's
     * products with {@link Math#fma} in k order from zero, as the vector kernel does, so the bits agree; without,
     * {@code Math.fma} would run in software, so the products are rounded first (see {@link PlainMicroKernel}).
     */
    final class Plain implements DoubleMicroKernel {
        private static final int MR = 4;
        private static final int NR = 8;

        private final boolean fused;

        Plain() {
            this(VectorSupport.fma());
        }

        Plain(boolean fused) {
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
        public void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc,
                                double[] acc) {
            Arrays.fill(acc, 0, MR * NR, 0.0);
            // Two loops rather than a test in one, so each stays a plain loop for C2 to vectorise.
            if (fused) {
                for (int p = 0; p < kc; p++) {
                    int ap = aOff + p * MR;
                    int bp = bOff + p * NR;
                    for (int r = 0; r < MR; r++) {
                        double av = a[ap + r];
                        for (int j = 0; j < NR; j++) {
                            acc[r * NR + j] = Math.fma(av, b[bp + j], acc[r * NR + j]);
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int ap = aOff + p * MR;
                    int bp = bOff + p * NR;
                    for (int r = 0; r < MR; r++) {
                        double av = a[ap + r];
                        for (int j = 0; j < NR; j++) {
                            acc[r * NR + j] += av * b[bp + j];
                        }
                    }
                }
            }
            for (int r = 0; r < MR; r++) {
                for (int j = 0; j < NR; j++) {
                    c[cOff + r * ldc + j] += acc[r * NR + j];
                }
            }
        }

        @Override
        public String name() {
            return "plain-f64 " + MR + "x" + NR + (fused ? " fma" : "");
        }
    }
}
