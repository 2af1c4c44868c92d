package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link ExpSums}; loaded reflectively. The exponential is our own, built from
 * additions, multiplications, fused multiply-adds and a shift only: IEEE rounds each of those one way, so
 * interpreted, C1- and C2-compiled code give the same bits, and a Parzen figure repeats exactly from run to
 * run. (The JDK's {@code lanewise(EXP)} is an SVML call in C2 but a per-lane {@code Math.exp} loop before,
 * which differ in the last bit; on CPUs without SVML it stays that loop, about 20× slower.) The terms are
 * grouped 16 to a step on 8- and 16-lane machines alike, so the sum is the same there too.
 */
final class VectorExpKernel implements ExpSums.Kernel {
    /** Terms per step, whatever the vector width: the sum then rounds the same way on AVX2 and AVX-512 machines. */
    private static final int BLOCK = 16;
    /** 8 or 16 lanes (fewer and the plain kernel is used; wider vectors use 512 bits, so 16). */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= BLOCK
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Terms summed in float32 in each lane before the lanes go, in order, into the float64 total. */
    private static final int FLUSH = 1024;
    /** Arguments are clamped here: e^−87 ≈ 1.6e−38 per term is nothing next to the largest term, 1, and 2^n stays normal. */
    private static final float FLOOR = -87f;
    /** e^88 ≈ 1.7e38 is below Float.MAX_VALUE; arguments above would mean a shift that is not the minimum. */
    private static final float CEILING = 88f;
    private static final float LOG2E = 1.44269504f;
    /** ln 2 split in two: 16 bits, so n·LN2_HI is exact for any n here, and the rest in LN2_LO. */
    private static final float LN2_HI = 45426f / 65536;
    private static final float LN2_LO = (float) (Math.log(2) - LN2_HI);
    /** 1.5·2^23: adding it rounds to an integer, which then sits in the low bits of the float's pattern. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Taylor coefficients 1/k! for k = 7 … 2; on |r| ≤ ln2/2 the degree-7 remainder is below 6e−9 relative. */
    private static final float[] TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 1f / 2};

    static int lanes() {
        return L;
    }

    static VectorSpecies<Float> species() {
        return S;
    }

    @Override
    public double sum(float[] x, int off, int len, float shift, float scale) {
        double total = 0;
        int end = off + len;
        int i = off;
        float neg = -scale;
        while (i <= end - BLOCK) {
            // Lane j adds the terms i + j of each block of 16: on 8-lane machines the second vector holds j = 8..15.
            FloatVector low = FloatVector.zero(S);
            FloatVector high = FloatVector.zero(S);
            int stop = Math.min(end - BLOCK, i + FLUSH - BLOCK);
            for (; i <= stop; i += BLOCK) {
                low = low.add(exp(FloatVector.fromArray(S, x, i).sub(shift).mul(neg)));
                if (L < BLOCK) {
                    high = high.add(exp(FloatVector.fromArray(S, x, i + L).sub(shift).mul(neg)));
                }
            }
            // Lanes in order, terms i + 0 … i + 15: once per 1,024 terms, so read one by one rather than through a buffer.
            for (int j = 0; j < L; j++) {
                total += low.lane(j);
            }
            if (L < BLOCK) {
                for (int j = 0; j < L; j++) {
                    total += high.lane(j);
                }
            }
        }
        for (; i < end; i++) {
            total += exp((x[i] - shift) * neg);
        }
        return total;
    }

    /** e^t lane by lane, within 2 ulp for t in [−87, 88] (clamped there). */
    static FloatVector exp(FloatVector t) {
        t = t.max(FLOOR).min(CEILING);
        FloatVector z = t.fma(LOG2E, ROUNDER);
        FloatVector n = z.sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), t);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, TAYLOR[0]);
        for (int k = 1; k < TAYLOR.length; k++) {
            p = p.fma(r, FloatVector.broadcast(S, TAYLOR[k]));
        }
        p = p.mul(r).fma(r, r).add(1f);
        IntVector twoN = z.reinterpretAsInts().add(127 - ROUNDER_BITS).lanewise(VectorOperators.LSHL, 23);
        return p.mul(twoN.reinterpretAsFloats());
    }

    /** The same operations on one float, in the same order: the tail of a sum, and the reference the vector form must equal. */
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
}
