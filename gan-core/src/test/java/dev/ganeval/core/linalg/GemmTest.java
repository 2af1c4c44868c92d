package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Kernel;
import dev.ganeval.core.linalg.Gemm.Transpose;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmTest {

    static List<Gemm> implementations() {
        List<Gemm> list = new ArrayList<>();
        list.add(Gemm.create(Kernel.PLAIN, 1));
        list.add(Gemm.create(Kernel.PLAIN, 2));
        list.add(Gemm.withKernel(new PlainMicroKernel(false), 2));
        list.add(Gemm.withKernel(new PlainMicroKernel(true), 1));
        if (Gemm.vectorKernelAvailable()) {
            list.add(Gemm.create(Kernel.VECTOR, 1));
            list.add(Gemm.create(Kernel.VECTOR, 2));
            list.add(Gemm.create(Kernel.VECTOR, 3));
            list.add(Gemm.withKernel(new VectorMicroKernel(2), 2));
            list.add(Gemm.withKernel(new VectorMicroKernel(3), 1));
        }
        return list;
    }

    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    /** Checks one product against the float64 oracle, with a bound that grows with k like float32 rounding does. */
    static void check(Gemm gemm, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, long seed) {
        Random rnd = new Random(seed);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] c = random(rnd, m * n);
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        double[] want = NaiveGemm.multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
        float[] got = c.clone();
        gemm.gemm(ta ? Transpose.TRANSPOSE : Transpose.NONE, tb ? Transpose.TRANSPOSE : Transpose.NONE,
                m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, got, 0, n);
        double tol = 1e-6 * (k + 2) * (Math.abs(alpha) + Math.abs(beta) + 1);
        for (int i = 0; i < m * n; i++) {
            if (Math.abs(got[i] - want[i]) > tol) {
                throw new AssertionError(String.format("%s %s%s %dx%dx%d alpha=%s beta=%s: C[%d,%d] = %s, oracle %s",
                        gemm.kernelName(), ta ? "T" : "N", tb ? "T" : "N", m, n, k, alpha, beta, i / n, i % n, got[i], want[i]));
            }
        }
    }

    static Stream<Arguments> shapes() {
        int[][] mnk = {
                {1, 1, 1}, {7, 5, 13}, {8, 32, 1}, {9, 33, 17}, {31, 1, 64}, {1, 40, 300},
                {64, 64, 64}, {100, 70, 257}, {129, 130, 513}, {300, 290, 600}, {17, 2100, 40}};
        List<Arguments> args = new ArrayList<>();
        for (int[] s : mnk) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    args.add(Arguments.of(s[0], s[1], s[2], ta, tb));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("shapes")
    void everyKernelMatchesTheNaiveOracle(int m, int n, int k, boolean ta, boolean tb) {
        for (Gemm g : implementations()) {
            check(g, ta, tb, m, n, k, 1f, 0f, 31L * m + 7L * n + k);
        }
    }

    /**
     * The tile only decides which lanes hold which C elements; each element sums its k terms in the same order, so
     * two- and three-vector tiles give the same bits (what keeps a resumed training run bit-identical on any machine).
     */
    /**
     * Two- or three-vector tiles, and the plain kernel with fused multiply-adds, give the same bits: each sums an
     * entry's products in k order with FMAs from zero, then adds C (so with or without the Vector API, a seed trains
     * the same checkpoint).
     */
    @Test
    void tileWidthAndThePlainFusedKernelDoNotChangeABit() {
        Assumptions.assumeTrue(Gemm.vectorKernelAvailable(), "needs --add-modules jdk.incubator.vector");
        Random shapes = new Random(5);
        for (int t = 0; t < 40; t++) {
            int m = 1 + shapes.nextInt(130);
            int n = 1 + shapes.nextInt(130);
            int k = 1 + shapes.nextInt(700);
            boolean ta = shapes.nextBoolean();
            boolean tb = shapes.nextBoolean();
            Random rnd = new Random(t);
            float[] a = random(rnd, m * k);
            float[] b = random(rnd, k * n);
            float[] c2 = random(rnd, m * n);
            float[] c3 = c2.clone();
            float[] cp = c2.clone();
            Transpose tA = ta ? Transpose.TRANSPOSE : Transpose.NONE;
            Transpose tB = tb ? Transpose.TRANSPOSE : Transpose.NONE;
            Gemm.withKernel(new VectorMicroKernel(2), 2).gemm(tA, tB, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.5f, c2, 0, n);
            Gemm.withKernel(new VectorMicroKernel(3), 2).gemm(tA, tB, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.5f, c3, 0, n);
            assertArrayEquals(c2, c3, m + "x" + n + "x" + k + " " + ta + " " + tb);
            Gemm.withKernel(new PlainMicroKernel(true), 2).gemm(tA, tB, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.5f, cp, 0, n);
            assertArrayEquals(c2, cp, "plain fma " + m + "x" + n + "x" + k + " " + ta + " " + tb);
        }
    }

    @Test
    void alphaAndBetaScaleAsInBlas() {
        for (Gemm g : implementations()) {
            check(g, false, false, 37, 45, 29, 0.5f, 2f, 1);
            check(g, true, false, 37, 45, 29, -1.5f, 1f, 2);
            check(g, false, true, 37, 45, 29, 0f, -0.25f, 3);
            check(g, true, true, 37, 45, 29, 2f, 0f, 4);
        }
    }

    @Test
    void betaZeroOverwritesNanInC() {
        for (Gemm g : implementations()) {
            FloatMatrix a = FloatMatrix.ofRows(new float[] {1, 2}, new float[] {3, 4});
            FloatMatrix c = new FloatMatrix(2, 2, new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN});
            g.multiply(Transpose.NONE, Transpose.NONE, 1f, a, a, 0f, c);
            assertArrayEquals(new float[] {7, 10, 15, 22}, c.data());
        }
    }

    @Test
    void emptyInnerDimensionLeavesBetaTimesC() {
        for (Gemm g : implementations()) {
            FloatMatrix a = new FloatMatrix(3, 0);
            FloatMatrix b = new FloatMatrix(0, 2);
            FloatMatrix c = new FloatMatrix(3, 2, new float[] {1, 2, 3, 4, 5, 6});
            g.multiply(Transpose.NONE, Transpose.NONE, 1f, a, b, 2f, c);
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, c.data());
        }
    }

    /**
     * Full register panels read from inside larger buffers (offsets, leading dimensions wider than the block, odd
     * k) in every transpose combination: the packing paths that gather whole panels index by lda and ldb.
     */
    @Test
    void fullPanelsInsideLargerBuffersMatchTheOracle() {
        int m = 41;
        int n = 70;
        int k = 37;
        for (Gemm gemm : implementations()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Random rnd = new Random(11);
                    int aRows = ta ? k : m;
                    int aCols = ta ? m : k;
                    int bRows = tb ? n : k;
                    int bCols = tb ? k : n;
                    int lda = aCols + 13;
                    int ldb = bCols + 7;
                    int aOff = 3 * lda + 5;
                    int bOff = 2 * ldb + 1;
                    float[] a = random(rnd, aOff + aRows * lda);
                    float[] b = random(rnd, bOff + bRows * ldb);
                    float[] ac = new float[aRows * aCols];
                    float[] bc = new float[bRows * bCols];
                    for (int i = 0; i < aRows; i++) {
                        System.arraycopy(a, aOff + i * lda, ac, i * aCols, aCols);
                    }
                    for (int i = 0; i < bRows; i++) {
                        System.arraycopy(b, bOff + i * ldb, bc, i * bCols, bCols);
                    }
                    float[] c = new float[m * n];
                    double[] want = NaiveGemm.multiply(ta, tb, m, n, k, 0.5, ac, aCols, bc, bCols, 0, c, n);
                    gemm.gemm(ta ? Transpose.TRANSPOSE : Transpose.NONE, tb ? Transpose.TRANSPOSE : Transpose.NONE,
                            m, n, k, 0.5f, a, aOff, lda, b, bOff, ldb, 0f, c, 0, n);
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(want[i], c[i], 1e-5, gemm.kernelName() + (ta ? " T" : " N") + (tb ? "T" : "N") + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void subBlocksWithOffsetsAndLeadingDimensions() {
        // C[1:4, 2:7] of a 6x9 buffer = A[2:5, 1:4] (of 7x6) · B[0:3, 3:8] (of 3x10)
        Random rnd = new Random(5);
        float[] a = random(rnd, 7 * 6);
        float[] b = random(rnd, 3 * 10);
        float[] c = new float[6 * 9];
        float[] before = c.clone();
        Gemm.defaultGemm().gemm(Transpose.NONE, Transpose.NONE, 3, 5, 3, 1f, a, 2 * 6 + 1, 6, b, 3, 10, 0f, c, 9 + 2, 9);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 9; j++) {
                boolean inside = i >= 1 && i < 4 && j >= 2 && j < 7;
                if (!inside) {
                    assertEquals(before[i * 9 + j], c[i * 9 + j], "outside the block must be untouched");
                    continue;
                }
                double s = 0;
                for (int p = 0; p < 3; p++) {
                    s += (double) a[(i - 1 + 2) * 6 + 1 + p] * b[p * 10 + 3 + (j - 2)];
                }
                assertEquals(s, c[i * 9 + j], 1e-5);
            }
        }
    }

    @Test
    void resultDoesNotDependOnThreadCount() {
        Random rnd = new Random(9);
        FloatMatrix a = new FloatMatrix(333, 700, random(rnd, 333 * 700));
        FloatMatrix b = new FloatMatrix(700, 517, random(rnd, 700 * 517));
        FloatMatrix one = Gemm.withThreads(1).multiply(a, b);
        FloatMatrix two = Gemm.withThreads(2).multiply(a, b);
        FloatMatrix five = Gemm.withThreads(5).multiply(a, b);
        assertArrayEquals(one.data(), two.data());
        assertArrayEquals(one.data(), five.data());
    }

    @Test
    void mismatchedShapesAreRejectedWithTheShapes() {
        FloatMatrix a = new FloatMatrix(2, 3);
        FloatMatrix b = new FloatMatrix(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.defaultGemm().multiply(a, b));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("4x5"), e.getMessage());
        FloatMatrix c = new FloatMatrix(2, 2);
        assertThrows(IllegalArgumentException.class, () -> Gemm.defaultGemm()
                .multiply(Transpose.NONE, Transpose.TRANSPOSE, 1f, a, new FloatMatrix(3, 3), 0f, c));
        assertThrows(IllegalArgumentException.class, () -> Gemm.defaultGemm()
                .gemm(Transpose.NONE, Transpose.NONE, 2, 2, 2, 1f, new float[3], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
        assertThrows(IllegalArgumentException.class, () -> Gemm.withThreads(0));
    }

    @Property(tries = 60)
    void randomShapesAndTransposesMatchTheOracle(@ForAll @IntRange(min = 1, max = 70) int m,
                                                 @ForAll @IntRange(min = 1, max = 90) int n,
                                                 @ForAll @IntRange(min = 1, max = 300) int k,
                                                 @ForAll boolean ta, @ForAll boolean tb) {
        for (Gemm g : implementations()) {
            check(g, ta, tb, m, n, k, 1f, 1f, m * 1000L + n * 10L + k);
        }
    }

    @Property(tries = 30)
    void transposeOfProductIsProductOfTransposes(@ForAll @IntRange(min = 1, max = 40) int m,
                                                 @ForAll @IntRange(min = 1, max = 40) int n,
                                                 @ForAll @IntRange(min = 1, max = 40) int k) {
        Random rnd = new Random(m * 31L + n * 7L + k);
        FloatMatrix a = new FloatMatrix(m, k, random(rnd, m * k));
        FloatMatrix b = new FloatMatrix(k, n, random(rnd, k * n));
        Gemm g = Gemm.defaultGemm();
        FloatMatrix ab = g.multiply(a, b);
        FloatMatrix btat = g.multiply(Transpose.TRANSPOSE, b, Transpose.TRANSPOSE, a);
        float[] t = ab.transpose().data();
        for (int i = 0; i < t.length; i++) {
            assertEquals(t[i], btat.data()[i], 1e-4);
        }
    }
}
