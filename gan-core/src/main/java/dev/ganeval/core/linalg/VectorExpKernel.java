package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API implementation of {@link ExpSums}; loaded reflectively. */
final class VectorExpKernel implements ExpSums.Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Vectors summed in float32 before the partial sum goes into the float64 total. */
    private static final int FLUSH = 1024 / 16;
    /**
     * Exponents are clamped here: SVML's float exp takes a slow path (10–20×) when the result underflows, and
     * e^−87 ≈ 1.6e−38 per term is nothing next to the largest term, 1.
     */
    private static final float FLOOR = -87f;

    static int lanes() {
        return L;
    }

    @Override
    public double sum(float[] x, int off, int len, float shift, float scale) {
        double total = 0;
        int end = off + len;
        int i = off;
        float neg = -scale;
        while (i <= end - L) {
            FloatVector acc = FloatVector.zero(S);
            int stop = Math.min(end - L, i + (FLUSH - 1) * L);
            for (; i <= stop; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                acc = acc.add(v.sub(shift).mul(neg).max(FLOOR).lanewise(VectorOperators.EXP));
            }
            total += acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < end; i++) {
            total += Math.exp(-(double) (x[i] - shift) * scale);
        }
        return total;
    }
}
