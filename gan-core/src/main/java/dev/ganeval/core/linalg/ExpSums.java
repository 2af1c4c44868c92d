package dev.ganeval.core.linalg;

import java.util.Objects;

/**
 * {@code Σ_j exp(−(x_j − shift)·scale)}, the inner sum of a max-shifted log-sum-exp over squared distances
 * (Parzen windows, Gaussian kernels). The exponentials are float32 (our own, {@link #exp(float)}, within 2 ulp,
 * from operations IEEE rounds one way, so the same bits whether or not the JIT has compiled them), summed in 16
 * running float32 sums that are flushed in order into a float64 total every 1,024 terms; the relative error of the
 * sum stays below 1e-6. With the Vector API readable a vector of terms at a time; without it the same operations one
 * float at a time ({@link Blocked}), which give the same bits where the processor has fused multiply-adds. Where it
 * has none, {@code Math.fma} would run in software, so plain float64 {@link Math#exp} is used instead, skipping terms
 * below {@code e^−50} of the largest.
 */
public final class ExpSums {
    /** One implementation of the sum. */
    interface Kernel {
        double sum(float[] x, int off, int len, float shift, float scale);
    }

    /** Terms per step, whatever the vector width: the sum then rounds the same way on AVX2 and AVX-512 machines. */
    static final int BLOCK = 16;
    /** Terms summed in float32 in each lane before the lanes go, in order, into the float64 total. */
    static final int FLUSH = 1024;
    /** Arguments are clamped here: e^−87 ≈ 1.6e−38 per term is nothing next to the largest term, 1, and 2^n stays normal. */
    static final float FLOOR = -87f;
    /** e^88 ≈ 1.7e38 is below Float.MAX_VALUE; arguments above would mean a shift that is not the minimum. */
    static final float CEILING = 88f;
    static final float LOG2E = 1.44269504f;
    /** ln 2 split in two: 16 bits, so n·LN2_HI is exact for any n here, and the rest in LN2_LO. */
    static final float LN2_HI = 45426f / 65536;
    static final float LN2_LO = (float) (Math.log(2) - LN2_HI);
    /** 1.5·2^23: adding it rounds to an integer, which then sits in the low bits of the float's pattern. */
    static final float ROUNDER = 12582912f;
    static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Taylor coefficients 1/k! for k = 7 … 2; on |r| ≤ ln2/2 the degree-7 remainder is below 6e−9 relative. */
    static final float[] TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 1f / 2};

    /**
     * e^t within 2 ulp for t in [−87, 88] (clamped there): t = n·ln 2 + r, a degree-7 Taylor polynomial in r, times
     * 2^n built in the exponent bits. The vector kernel does the same operations lane by lane, in the same order.
     */
    static float exp(float t) {
        t = Math.min(Math.max(t, FLOOR), CEILING);
        float z = Math.fma(t, LOG2E, ROUNDER);
        float n = z - ROUNDER;
        float r = Math.fma(n, -LN2_HI, t);
        r = Math.fma(n, -LN2_LO, r);
        float p = TAYLOR[0];
        for (int k = 1; k < TAYLOR.length; k++) {
            p = Math.fma(p, r, TAYLOR[k]);
        }
        p = Math.fma(p * r, r, r) + 1f;
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(z) + 127 - ROUNDER_BITS) << 23);
    }

    private static final Kernel KERNEL = select();

    private ExpSums() {}

    private static Kernel select() {
        Kernel plain = VectorSupport.fma() ? new Blocked() : new Plain();
        if ("plain".equalsIgnoreCase(System.getProperty("ganeval.kernel", "auto"))) {
            return plain;
        }
        Kernel k = VectorSupport.load("dev.ganeval.core.linalg.VectorExpKernel", Kernel.class, 8);
        return k != null ? k : plain;
    }

    /**
     * {@code Σ exp(−(x[i] − shift)·scale)} for i in {@code [off, off+len)}. Meant for {@code x[i] ≥ shift} and
     * {@code scale > 0}, so every term is at most 1.
     */
    public static double sumExpNegScaled(float[] x, int off, int len, float shift, float scale) {
        Objects.checkFromIndexSize(off, len, x.length);
        return KERNEL.sum(x, off, len, shift, scale);
    }

    /** True when the Vector API implementation is in use. */
    public static boolean vectorized() {
        return !(KERNEL instanceof Plain || KERNEL instanceof Blocked);
    }

    /** The vector kernel's sum one float at a time: 16 running sums, flushed in order every 1,024 terms. */
    static final class Blocked implements Kernel {
        @Override
        public double sum(float[] x, int off, int len, float shift, float scale) {
            double total = 0;
            int end = off + len;
            int i = off;
            float neg = -scale;
            float[] lane = new float[BLOCK];
            while (i <= end - BLOCK) {
                java.util.Arrays.fill(lane, 0f);
                int stop = Math.min(end - BLOCK, i + FLUSH - BLOCK);
                for (; i <= stop; i += BLOCK) {
                    for (int j = 0; j < BLOCK; j++) {
                        lane[j] += exp((x[i + j] - shift) * neg);
                    }
                }
                for (int j = 0; j < BLOCK; j++) {
                    total += lane[j];
                }
            }
            for (; i < end; i++) {
                total += exp((x[i] - shift) * neg);
            }
            return total;
        }
    }

    static final class Plain implements Kernel {
        @Override
        public double sum(float[] x, int off, int len, float shift, float scale) {
            double a = scale;
            double limit = 50 / a;
            double s = 0;
            for (int i = off; i < off + len; i++) {
                double delta = (double) x[i] - shift;
                if (delta < limit) {
                    s += Math.exp(-delta * a);
                }
            }
            return s;
        }
    }
}
