package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: an 8 × (2 vectors) register tile, i.e. 8×32 floats on AVX-512 and
 * 8×16 on AVX2. Sixteen accumulators, two B loads and eight broadcasts per k step feed sixteen FMAs,
 * which keeps both FMA ports busy without spilling on x86-64's 32 (AVX-512) or 16 (AVX2) registers.
 *
 * <p>Only ever loaded reflectively by {@link Gemm} after it has checked that {@code jdk.incubator.vector}
 * is readable, so the library still links without {@code --add-modules jdk.incubator.vector}.
 */
final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 8;
    private static final int NR = 2 * L;

    /** A gather index for one leading dimension; immutable once published, so threads can share it. */
    private record Gather(int stride, int[] index) {}

    // One GEMM packs hundreds of panels with the same stride: building the index once keeps packing allocation-free.
    private volatile Gather rowGather;
    private volatile Gather columnGather;

    /** Lanes of the preferred species; the driver uses the plain kernel when this is too narrow to pay. */
    static int lanes() {
        return L;
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
    public void multiplyAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ap + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ap + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        // Written out rather than through a helper: passing vectors as arguments made C2 box them.
        int o0 = cOff;
        FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
        FloatVector.fromArray(S, c, o0 + L).add(c01).intoArray(c, o0 + L);
        int o1 = cOff + ldc;
        FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
        FloatVector.fromArray(S, c, o1 + L).add(c11).intoArray(c, o1 + L);
        int o2 = cOff + 2 * ldc;
        FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
        FloatVector.fromArray(S, c, o2 + L).add(c21).intoArray(c, o2 + L);
        int o3 = cOff + 3 * ldc;
        FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
        FloatVector.fromArray(S, c, o3 + L).add(c31).intoArray(c, o3 + L);
        int o4 = cOff + 4 * ldc;
        FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
        FloatVector.fromArray(S, c, o4 + L).add(c41).intoArray(c, o4 + L);
        int o5 = cOff + 5 * ldc;
        FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
        FloatVector.fromArray(S, c, o5 + L).add(c51).intoArray(c, o5 + L);
        int o6 = cOff + 6 * ldc;
        FloatVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
        FloatVector.fromArray(S, c, o6 + L).add(c61).intoArray(c, o6 + L);
        int o7 = cOff + 7 * ldc;
        FloatVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
        FloatVector.fromArray(S, c, o7 + L).add(c71).intoArray(c, o7 + L);
    }

    /**
     * Gathers: one vector load takes a column of L/MR·MR values from MR rows (AVX-512 gathers 16 elements in about
     * the time the scalar transpose moves 6).
     */
    @Override
    public void packRows(int kc, float alpha, float[] a, int src, int lda, float[] ap, int apOff) {
        int steps = L / MR;
        Gather g = rowGather;
        if (g == null || g.stride() != lda) {
            int[] fresh = new int[L];
            for (int i = 0; i < L; i++) {
                fresh[i] = (i % MR) * lda + i / MR;
            }
            g = new Gather(lda, fresh);
            rowGather = g;
        }
        int[] index = g.index();
        int p = 0;
        for (; p + steps <= kc; p += steps) {
            FloatVector.fromArray(S, a, src + p, index, 0).mul(alpha).intoArray(ap, apOff + p * MR);
        }
        for (; p < kc; p++) {
            for (int r = 0; r < MR; r++) {
                ap[apOff + p * MR + r] = alpha * a[src + r * lda + p];
            }
        }
    }

    @Override
    public void packTransposedColumns(int kc, float[] b, int src, int ldb, float[] bp, int bpOff) {
        Gather g = columnGather;
        if (g == null || g.stride() != ldb) {
            int[] fresh = new int[L];
            for (int i = 0; i < L; i++) {
                fresh[i] = i * ldb;
            }
            g = new Gather(ldb, fresh);
            columnGather = g;
        }
        int[] index = g.index();
        int second = src + L * ldb;
        for (int p = 0; p < kc; p++) {
            FloatVector.fromArray(S, b, src + p, index, 0).intoArray(bp, bpOff + p * NR);
            FloatVector.fromArray(S, b, second + p, index, 0).intoArray(bp, bpOff + p * NR + L);
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + " " + MR + "x" + NR;
    }
}
