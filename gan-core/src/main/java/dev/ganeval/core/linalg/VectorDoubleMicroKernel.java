package dev.ganeval.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API float64 micro-kernel, the float64 counterpart of {@link VectorMicroKernel}: 8 rows × 3 vectors (8×24
 * doubles) where vectors are 512 bits, 8 × 2 vectors on narrower machines; the same C2 constraints (accumulators as
 * locals, no helper taking vectors, offsets recomputed from p) and the same bit-identical results whichever tile is
 * used. Loaded reflectively.
 */
final class VectorDoubleMicroKernel implements DoubleMicroKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 8;

    private final int vectors;
    private final int nr;

    /** Three vectors a row on 512-bit machines, else two. */
    VectorDoubleMicroKernel() {
        this(L >= 8 ? 3 : 2);
    }

    /** A tile of 2 or 3 vectors a row, to compare the two ({@code KernelShapes}). */
    VectorDoubleMicroKernel(int vectors) {
        if (vectors != 2 && vectors != 3) {
            throw new IllegalArgumentException("2 or 3 vectors a row, got " + vectors);
        }
        this.vectors = vectors;
        this.nr = vectors * L;
    }

    /** Float lanes of the preferred shape, the unit {@link VectorSupport#load} checks. */
    static int lanes() {
        return 2 * L;
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
    public void multiplyAdd(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc,
                            double[] acc) {
        if (vectors == 3) {
            threeVectors(kc, a, aOff, b, bOff, c, cOff, ldc);
        } else {
            twoVectors(kc, a, aOff, b, bOff, c, cOff, ldc);
        }
    }

    private static void threeVectors(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c02 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S), c12 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c22 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S), c32 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S), c42 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S), c52 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S), c62 = DoubleVector.zero(S);
        DoubleVector c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S), c72 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * 3 * L;
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bp + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bp + 2 * L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ap + 0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            av = DoubleVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            av = DoubleVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            av = DoubleVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            av = DoubleVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            av = DoubleVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            av = DoubleVector.broadcast(S, a[ap + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            c62 = av.fma(b2, c62);
            av = DoubleVector.broadcast(S, a[ap + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
            c72 = av.fma(b2, c72);
        }
        int o0 = cOff + 0 * ldc;
        DoubleVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
        DoubleVector.fromArray(S, c, o0 + L).add(c01).intoArray(c, o0 + L);
        DoubleVector.fromArray(S, c, o0 + 2 * L).add(c02).intoArray(c, o0 + 2 * L);
        int o1 = cOff + 1 * ldc;
        DoubleVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
        DoubleVector.fromArray(S, c, o1 + L).add(c11).intoArray(c, o1 + L);
        DoubleVector.fromArray(S, c, o1 + 2 * L).add(c12).intoArray(c, o1 + 2 * L);
        int o2 = cOff + 2 * ldc;
        DoubleVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
        DoubleVector.fromArray(S, c, o2 + L).add(c21).intoArray(c, o2 + L);
        DoubleVector.fromArray(S, c, o2 + 2 * L).add(c22).intoArray(c, o2 + 2 * L);
        int o3 = cOff + 3 * ldc;
        DoubleVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
        DoubleVector.fromArray(S, c, o3 + L).add(c31).intoArray(c, o3 + L);
        DoubleVector.fromArray(S, c, o3 + 2 * L).add(c32).intoArray(c, o3 + 2 * L);
        int o4 = cOff + 4 * ldc;
        DoubleVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
        DoubleVector.fromArray(S, c, o4 + L).add(c41).intoArray(c, o4 + L);
        DoubleVector.fromArray(S, c, o4 + 2 * L).add(c42).intoArray(c, o4 + 2 * L);
        int o5 = cOff + 5 * ldc;
        DoubleVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
        DoubleVector.fromArray(S, c, o5 + L).add(c51).intoArray(c, o5 + L);
        DoubleVector.fromArray(S, c, o5 + 2 * L).add(c52).intoArray(c, o5 + 2 * L);
        int o6 = cOff + 6 * ldc;
        DoubleVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
        DoubleVector.fromArray(S, c, o6 + L).add(c61).intoArray(c, o6 + L);
        DoubleVector.fromArray(S, c, o6 + 2 * L).add(c62).intoArray(c, o6 + 2 * L);
        int o7 = cOff + 7 * ldc;
        DoubleVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
        DoubleVector.fromArray(S, c, o7 + L).add(c71).intoArray(c, o7 + L);
        DoubleVector.fromArray(S, c, o7 + 2 * L).add(c72).intoArray(c, o7 + 2 * L);
    }

    private static void twoVectors(int kc, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, int ldc) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S);
        DoubleVector c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * 2 * L;
            DoubleVector b0 = DoubleVector.fromArray(S, b, bp);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bp + L);
            DoubleVector av;
            av = DoubleVector.broadcast(S, a[ap + 0]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(S, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(S, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(S, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(S, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(S, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = DoubleVector.broadcast(S, a[ap + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = DoubleVector.broadcast(S, a[ap + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        int o0 = cOff + 0 * ldc;
        DoubleVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
        DoubleVector.fromArray(S, c, o0 + L).add(c01).intoArray(c, o0 + L);
        int o1 = cOff + 1 * ldc;
        DoubleVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
        DoubleVector.fromArray(S, c, o1 + L).add(c11).intoArray(c, o1 + L);
        int o2 = cOff + 2 * ldc;
        DoubleVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
        DoubleVector.fromArray(S, c, o2 + L).add(c21).intoArray(c, o2 + L);
        int o3 = cOff + 3 * ldc;
        DoubleVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
        DoubleVector.fromArray(S, c, o3 + L).add(c31).intoArray(c, o3 + L);
        int o4 = cOff + 4 * ldc;
        DoubleVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
        DoubleVector.fromArray(S, c, o4 + L).add(c41).intoArray(c, o4 + L);
        int o5 = cOff + 5 * ldc;
        DoubleVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
        DoubleVector.fromArray(S, c, o5 + L).add(c51).intoArray(c, o5 + L);
        int o6 = cOff + 6 * ldc;
        DoubleVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
        DoubleVector.fromArray(S, c, o6 + L).add(c61).intoArray(c, o6 + L);
        int o7 = cOff + 7 * ldc;
        DoubleVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
        DoubleVector.fromArray(S, c, o7 + L).add(c71).intoArray(c, o7 + L);
    }

    @Override
    public String name() {
        return "vector-f64-" + S.vectorBitSize() + " " + MR + "x" + nr;
    }
}
