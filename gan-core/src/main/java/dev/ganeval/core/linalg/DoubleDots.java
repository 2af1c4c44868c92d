package dev.ganeval.core.linalg;

/**
 * Float64 dot products for the level-2 steps of the dense solvers. C2 does not vectorise a floating-point
 * reduction (it must keep the summation order), so the Vector API version, with sixteen independent lanes, is
 * several times faster, and gives the same bits on 256- and 512-bit vector units; the plain one keeps four running
 * sums to shorten the dependency chain.
 */
final class DoubleDots {
    interface Kernel {
        double dot(double[] a, int aOff, double[] b, int bOff, int len);

        /**
         * One row of a symmetric matrix-vector product read from the lower triangle: returns
         * {@code Σ a[aOff+c]·u[uOff+c]} and adds {@code a[aOff+c]·ur} to {@code y[yOff+c]}, for c in [0, len).
         */
        double dotAndAxpy(double[] a, int aOff, double[] u, int uOff, double[] y, int yOff, int len, double ur);

        /**
         * A matrix times a skinny one, without packing: {@code x[i][0:nb] += Σ_c a[aOff+i·lda+c]·y[yOff+c·nb+(0:nb)]}
         * for i in [0, rows), c in [0, k); {@code y} and {@code x} are row-major with row length nb.
         */
        void rowsTimes(double[] a, int aOff, int lda, int rows, int k, double[] y, int yOff, double[] x, int xOff, int nb);

        /**
         * The transpose of a matrix times a skinny one: {@code x[c][0:nb] += Σ_r a[aOff+r·lda+c]·y[yOff+r·nb+(0:nb)]}
         * for r in [0, rows), c in [0, cols).
         */
        void transposedTimes(double[] a, int aOff, int lda, int rows, int cols, double[] y, int yOff, double[] x, int xOff,
                             int nb);

        /**
         * A Householder reflector from the left on a block: {@code A ← (I − τ·u·uᵀ)·A} for the {@code rows × cols}
         * block at {@code aOff} (row stride lda), u of length rows; {@code acc} is scratch of length ≥ cols.
         */
        void reflectRows(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau, double[] acc);

        /** A Householder reflector from the right on a block: {@code A ← A·(I − τ·u·uᵀ)}, u of length cols. */
        void reflectColumns(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau);

        /** {@code y[yOff+i] += α·x[xOff+i]} for i in [0, len); x and y may be the same array (ranges disjoint). */
        void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len);

        /** {@code a[aOff+c] −= α·x[c] + β·y[c]} for c in [0, len). */
        void subtractTwo(double[] a, int aOff, int len, double alpha, double[] x, double beta, double[] y);

        /** The skinny width ({@code nb}) the two products above are fastest at. */
        int skinnyWidth();
    }

    static final Kernel KERNEL = select();

    private DoubleDots() {}

    private static Kernel select() {
        Kernel plain = VectorSupport.fma() ? new Fused() : new Plain();
        if ("plain".equalsIgnoreCase(System.getProperty("ganeval.kernel", "auto"))) {
            return plain;
        }
        Kernel k = VectorSupport.load("dev.ganeval.core.linalg.VectorDoubleDots", Kernel.class, 8);
        return k != null ? k : plain;
    }

    static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        return KERNEL.dot(a, aOff, b, bOff, len);
    }

    static double dotAndAxpy(double[] a, int aOff, double[] u, int uOff, double[] y, int yOff, int len, double ur) {
        return KERNEL.dotAndAxpy(a, aOff, u, uOff, y, yOff, len, ur);
    }

    static void rowsTimes(double[] a, int aOff, int lda, int rows, int k, double[] y, int yOff, double[] x, int xOff, int nb) {
        KERNEL.rowsTimes(a, aOff, lda, rows, k, y, yOff, x, xOff, nb);
    }

    static void transposedTimes(double[] a, int aOff, int lda, int rows, int cols, double[] y, int yOff, double[] x, int xOff,
                                int nb) {
        KERNEL.transposedTimes(a, aOff, lda, rows, cols, y, yOff, x, xOff, nb);
    }

    static void reflectRows(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau, double[] acc) {
        KERNEL.reflectRows(a, aOff, lda, rows, cols, u, tau, acc);
    }

    static void reflectColumns(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau) {
        KERNEL.reflectColumns(a, aOff, lda, rows, cols, u, tau);
    }

    static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
        KERNEL.axpy(alpha, x, xOff, y, yOff, len);
    }

    static void subtractTwo(double[] a, int aOff, int len, double alpha, double[] x, double beta, double[] y) {
        KERNEL.subtractTwo(a, aOff, len, alpha, x, beta, y);
    }

    static int skinnyWidth() {
        return KERNEL.skinnyWidth();
    }

    /**
     * {@link VectorDoubleDots}' arithmetic one double at a time: the same logical lanes (16 for {@link #dot}, 8 for
     * {@link #dotAndAxpy}) reduced in the same order, the same chains of fused multiply-adds, and the same pairing of
     * rows in the skinny products, so without the Vector API the solvers give the same bits where the processor has
     * FMA. The vector kernel hands it the pieces it does not cover (an odd last row).
     */
    static final class Fused implements Kernel {
        @Override
        public int skinnyWidth() {
            return 32;
        }

        /** Each entry's products summed from zero in k order, then added to x. */
        @Override
        public void rowsTimes(double[] a, int aOff, int lda, int rows, int k, double[] y, int yOff, double[] x, int xOff,
                              int nb) {
            double[] s = new double[nb];
            for (int i = 0; i < rows; i++) {
                java.util.Arrays.fill(s, 0);
                int ai = aOff + i * lda;
                for (int c = 0; c < k; c++) {
                    double v = a[ai + c];
                    int yc = yOff + c * nb;
                    for (int j = 0; j < nb; j++) {
                        s[j] = Math.fma(y[yc + j], v, s[j]);
                    }
                }
                int xi = xOff + i * nb;
                for (int j = 0; j < nb; j++) {
                    x[xi + j] = s[j] + x[xi + j];
                }
            }
        }

        /** Rows of a in pairs, {@code x ← y₀·a₀ + (y₁·a₁ + x)} with two fused multiply-adds; an odd last row alone. */
        @Override
        public void transposedTimes(double[] a, int aOff, int lda, int rows, int cols, double[] y, int yOff, double[] x,
                                    int xOff, int nb) {
            int r = 0;
            for (; r + 1 < rows; r += 2) {
                int a0 = aOff + r * lda;
                int a1 = a0 + lda;
                int yr = yOff + r * nb;
                for (int c = 0; c < cols; c++) {
                    double v0 = a[a0 + c];
                    double v1 = a[a1 + c];
                    int xc = xOff + c * nb;
                    for (int j = 0; j < nb; j++) {
                        x[xc + j] = Math.fma(y[yr + j], v0, Math.fma(y[yr + nb + j], v1, x[xc + j]));
                    }
                }
            }
            if (r < rows) {
                int ar = aOff + r * lda;
                int yr = yOff + r * nb;
                for (int c = 0; c < cols; c++) {
                    double v = a[ar + c];
                    int xc = xOff + c * nb;
                    for (int j = 0; j < nb; j++) {
                        x[xc + j] = Math.fma(y[yr + j], v, x[xc + j]);
                    }
                }
            }
        }

        @Override
        public void reflectRows(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau, double[] acc) {
            java.util.Arrays.fill(acc, 0, cols, 0);
            for (int r = 0; r < rows; r++) {
                double ur = u[r];
                int row = aOff + r * lda;
                for (int c = 0; c < cols; c++) {
                    acc[c] = Math.fma(a[row + c], ur, acc[c]);
                }
            }
            for (int c = 0; c < cols; c++) {
                acc[c] *= -tau;
            }
            for (int r = 0; r < rows; r++) {
                double ur = u[r];
                int row = aOff + r * lda;
                for (int c = 0; c < cols; c++) {
                    a[row + c] = Math.fma(acc[c], ur, a[row + c]);
                }
            }
        }

        @Override
        public void reflectColumns(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau) {
            for (int r = 0; r < rows; r++) {
                int row = aOff + r * lda;
                double f = -tau * dot(a, row, u, 0, cols);
                for (int c = 0; c < cols; c++) {
                    a[row + c] = Math.fma(u[c], f, a[row + c]);
                }
            }
        }

        @Override
        public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
            for (int i = 0; i < len; i++) {
                y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
            }
        }

        @Override
        public void subtractTwo(double[] a, int aOff, int len, double alpha, double[] x, double beta, double[] y) {
            for (int c = 0; c < len; c++) {
                a[aOff + c] = Math.fma(y[c], -beta, Math.fma(x[c], -alpha, a[aOff + c]));
            }
        }

        /** Term i in running sum i mod 16; then sums j and j+8, then ((0+4)+(2+6)) + ((1+5)+(3+7)); the tail unfused. */
        @Override
        public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
            double[] l = new double[16];
            int i = 0;
            for (; i + 16 <= len; i += 16) {
                for (int j = 0; j < 16; j++) {
                    l[j] = Math.fma(a[aOff + i + j], b[bOff + i + j], l[j]);
                }
            }
            double[] h = new double[8];
            for (int j = 0; j < 8; j++) {
                h[j] = l[j] + l[j + 8];
            }
            double s = ((h[0] + h[4]) + (h[2] + h[6])) + ((h[1] + h[5]) + (h[3] + h[7]));
            for (; i < len; i++) {
                s += a[aOff + i] * b[bOff + i];
            }
            return s;
        }

        /** Eight running sums, reduced as {@link #dot}'s last eight; y updated with fused multiply-adds. */
        @Override
        public double dotAndAxpy(double[] a, int aOff, double[] u, int uOff, double[] y, int yOff, int len, double ur) {
            double[] l = new double[8];
            int i = 0;
            for (; i + 8 <= len; i += 8) {
                for (int j = 0; j < 8; j++) {
                    double av = a[aOff + i + j];
                    l[j] = Math.fma(av, u[uOff + i + j], l[j]);
                    y[yOff + i + j] = Math.fma(av, ur, y[yOff + i + j]);
                }
            }
            double s = ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
            for (; i < len; i++) {
                s += a[aOff + i] * u[uOff + i];
                y[yOff + i] = Math.fma(a[aOff + i], ur, y[yOff + i]);
            }
            return s;
        }
    }

    /** Portable kernels without fused multiply-adds, for processors that have none (where {@code Math.fma} is software). */
    static final class Plain implements Kernel {
        @Override
        public int skinnyWidth() {
            return 32;
        }

        @Override
        public void rowsTimes(double[] a, int aOff, int lda, int rows, int k, double[] y, int yOff, double[] x, int xOff,
                              int nb) {
            for (int i = 0; i < rows; i++) {
                int xi = xOff + i * nb;
                int ai = aOff + i * lda;
                for (int c = 0; c < k; c++) {
                    double v = a[ai + c];
                    int yc = yOff + c * nb;
                    for (int j = 0; j < nb; j++) {
                        x[xi + j] += v * y[yc + j];
                    }
                }
            }
        }

        @Override
        public void transposedTimes(double[] a, int aOff, int lda, int rows, int cols, double[] y, int yOff, double[] x,
                                    int xOff, int nb) {
            for (int r = 0; r < rows; r++) {
                int ar = aOff + r * lda;
                int yr = yOff + r * nb;
                for (int c = 0; c < cols; c++) {
                    double v = a[ar + c];
                    int xc = xOff + c * nb;
                    for (int j = 0; j < nb; j++) {
                        x[xc + j] += v * y[yr + j];
                    }
                }
            }
        }

        @Override
        public void reflectRows(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau, double[] acc) {
            java.util.Arrays.fill(acc, 0, cols, 0);
            for (int r = 0; r < rows; r++) {
                double ur = u[r];
                int row = aOff + r * lda;
                for (int c = 0; c < cols; c++) {
                    acc[c] += ur * a[row + c];
                }
            }
            for (int r = 0; r < rows; r++) {
                double f = tau * u[r];
                int row = aOff + r * lda;
                for (int c = 0; c < cols; c++) {
                    a[row + c] -= f * acc[c];
                }
            }
        }

        @Override
        public void reflectColumns(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau) {
            for (int r = 0; r < rows; r++) {
                int row = aOff + r * lda;
                double f = tau * dot(a, row, u, 0, cols);
                for (int c = 0; c < cols; c++) {
                    a[row + c] -= f * u[c];
                }
            }
        }

        @Override
        public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
            for (int i = 0; i < len; i++) {
                y[yOff + i] += alpha * x[xOff + i];
            }
        }

        @Override
        public void subtractTwo(double[] a, int aOff, int len, double alpha, double[] x, double beta, double[] y) {
            for (int c = 0; c < len; c++) {
                a[aOff + c] -= alpha * x[c] + beta * y[c];
            }
        }

        @Override
        public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i + 3 < len; i += 4) {
                s0 += a[aOff + i] * b[bOff + i];
                s1 += a[aOff + i + 1] * b[bOff + i + 1];
                s2 += a[aOff + i + 2] * b[bOff + i + 2];
                s3 += a[aOff + i + 3] * b[bOff + i + 3];
            }
            for (; i < len; i++) {
                s0 += a[aOff + i] * b[bOff + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        @Override
        public double dotAndAxpy(double[] a, int aOff, double[] u, int uOff, double[] y, int yOff, int len, double ur) {
            double s0 = 0;
            double s1 = 0;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                double a0 = a[aOff + i];
                double a1 = a[aOff + i + 1];
                s0 += a0 * u[uOff + i];
                s1 += a1 * u[uOff + i + 1];
                y[yOff + i] += a0 * ur;
                y[yOff + i + 1] += a1 * ur;
            }
            for (; i < len; i++) {
                s0 += a[aOff + i] * u[uOff + i];
                y[yOff + i] += a[aOff + i] * ur;
            }
            return s0 + s1;
        }
    }
}
