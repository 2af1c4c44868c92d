package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link ExpSums}; loaded reflectively. The exponential ({@link ExpSums#exp(float)},
 * whose constants it shares) is our own, built from
 * additions, multiplications, fused multiply-adds and a shift only: IEEE rounds each of those one way, so
 * interpreted, C1- and C2-compiled code give the same bits, and a Parzen figure repeats exactly from run to
 * run. (The JDK's {@code lanewise(EXP)} is an SVML call in C2 but a per-lane {@code Math.exp} loop before,
 * which differ in the last bit; on CPUs without SVML it stays that loop, about 20× slower.) The terms are
 * grouped 16 to a step on 8- and 16-lane machines alike, so the sum is the same there too, and the same as
 * {@link ExpSums.Blocked}'s without the Vector API.
 */
final class VectorExpKernel implements ExpSums.Kernel {
    private static final int BLOCK = ExpSums.BLOCK;
    /** 8 or 16 lanes (fewer and the plain kernel is used; wider vectors use 512 bits, so 16). */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= BLOCK
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int FLUSH = ExpSums.FLUSH;
    private static final float FLOOR = ExpSums.FLOOR;
    private static final float CEILING = ExpSums.CEILING;
    private static final float LOG2E = ExpSums.LOG2E;
    private static final float LN2_HI = ExpSums.LN2_HI;
    private static final float LN2_LO = ExpSums.LN2_LO;
    private static final float ROUNDER = ExpSums.ROUNDER;
    private static final int ROUNDER_BITS = ExpSums.ROUNDER_BITS;
    private static final float[] TAYLOR = ExpSums.TAYLOR;

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

    /** The scalar form, {@link ExpSums#exp(float)}: the tail of a sum. */
    static float exp(float t) {
        return ExpSums.exp(t);
    }
}
