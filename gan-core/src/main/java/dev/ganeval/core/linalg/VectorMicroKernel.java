package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API micro-kernel: an 8 × (3 vectors) register tile where vectors are 512 bits (8×48 floats: 24
 * accumulators of AVX-512's 32 registers, three FMAs per broadcast of A) and 8 × (2 vectors) on narrower machines
 * (8×16 on AVX2, whose 16 registers the two-vector tile already fills). In interleaved runs on the project's machine
 * the wider tile was 7–12 % faster on the GAN's and 1024³ products and about 3 % on products with a transposed B
 * ({@code KernelShapes} in gan-bench). Each C element still sums its k terms in order in one lane, so the results
 * are bit-identical whichever tile computes them.
 *
 * <p>Only ever loaded reflectively by {@link Gemm} after it has checked that {@code jdk.incubator.vector}
 * is readable, so the library still links without {@code --add-modules jdk.incubator.vector}.
 */
final class VectorMicroKernel implements MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 8;
    private final int vectors;
    private final int nr;

    /** A gather index for one leading dimension; immutable once published, so threads can share it. */
    private record Gather(int stride, int[] index) {}

    // One GEMM packs hundreds of panels with the same stride: building the index once keeps packing allocation-free.
    private volatile Gather rowGather;
    private volatile Gather columnGather;

    /** Three vectors a row on 512-bit machines, else two. */
    VectorMicroKernel() {
        this(L >= 16 ? 3 : 2);
    }

    /** A tile of 2 or 3 vectors a row, to compare the two ({@code KernelShapes}). */
    VectorMicroKernel(int vectors) {
        if (vectors != 2 && vectors != 3) {
            throw new IllegalArgumentException("2 or 3 vectors a row, got " + vectors);
        }
        this.vectors = vectors;
        this.nr = vectors * L;
    }

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
        return nr;
    }

    @Override
    public void multiplyAdd(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, float[] acc) {
        if (vectors == 3) {
            threeVectors(kc, a, aOff, b, bOff, c, cOff, ldc);
        } else {
            twoVectors(kc, a, aOff, b, bOff, c, cOff, ldc);
        }
    }

    private static void threeVectors(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c62 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S), c72 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * 3 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ap + 0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = FloatVector.broadcast(S, a[ap + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = FloatVector.broadcast(S, a[ap + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        int o0 = cOff + 0 * ldc;
        FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
        FloatVector.fromArray(S, c, o0 + L).add(c01).intoArray(c, o0 + L);
        FloatVector.fromArray(S, c, o0 + 2 * L).add(c02).intoArray(c, o0 + 2 * L);
        int o1 = cOff + 1 * ldc;
        FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
        FloatVector.fromArray(S, c, o1 + L).add(c11).intoArray(c, o1 + L);
        FloatVector.fromArray(S, c, o1 + 2 * L).add(c12).intoArray(c, o1 + 2 * L);
        int o2 = cOff + 2 * ldc;
        FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
        FloatVector.fromArray(S, c, o2 + L).add(c21).intoArray(c, o2 + L);
        FloatVector.fromArray(S, c, o2 + 2 * L).add(c22).intoArray(c, o2 + 2 * L);
        int o3 = cOff + 3 * ldc;
        FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
        FloatVector.fromArray(S, c, o3 + L).add(c31).intoArray(c, o3 + L);
        FloatVector.fromArray(S, c, o3 + 2 * L).add(c32).intoArray(c, o3 + 2 * L);
        int o4 = cOff + 4 * ldc;
        FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
        FloatVector.fromArray(S, c, o4 + L).add(c41).intoArray(c, o4 + L);
        FloatVector.fromArray(S, c, o4 + 2 * L).add(c42).intoArray(c, o4 + 2 * L);
        int o5 = cOff + 5 * ldc;
        FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
        FloatVector.fromArray(S, c, o5 + L).add(c51).intoArray(c, o5 + L);
        FloatVector.fromArray(S, c, o5 + 2 * L).add(c52).intoArray(c, o5 + 2 * L);
        int o6 = cOff + 6 * ldc;
        FloatVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
        FloatVector.fromArray(S, c, o6 + L).add(c61).intoArray(c, o6 + L);
        FloatVector.fromArray(S, c, o6 + 2 * L).add(c62).intoArray(c, o6 + 2 * L);
        int o7 = cOff + 7 * ldc;
        FloatVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
        FloatVector.fromArray(S, c, o7 + L).add(c71).intoArray(c, o7 + L);
        FloatVector.fromArray(S, c, o7 + 2 * L).add(c72).intoArray(c, o7 + 2 * L);
    }

    private static void twoVectors(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
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
            int bp = bOff + p * 2 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ap + 0]);
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
        int o0 = cOff + 0 * ldc;
        FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
        FloatVector.fromArray(S, c, o0 + L).add(c01).intoArray(c, o0 + L);
        int o1 = cOff + 1 * ldc;
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
        for (int v = 0; v < vectors; v++) {
            int from = src + v * L * ldb;
            int to = bpOff + v * L;
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S, b, from + p, index, 0).intoArray(bp, to + p * nr);
            }
        }
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + " " + MR + "x" + nr;
    }
}
