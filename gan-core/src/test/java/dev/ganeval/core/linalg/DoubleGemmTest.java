package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Transpose;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DoubleGemmTest {
    static void check(DoubleGemm g, boolean ta, boolean tb, int m, int n, int k, double alpha, double beta, long seed) {
        Random rnd = new Random(seed);
        double[] a = rnd.doubles(m * k, -1, 1).toArray();
        double[] b = rnd.doubles(k * n, -1, 1).toArray();
        double[] c = rnd.doubles(m * n, -1, 1).toArray();
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        double[] want = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                }
                want[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        g.gemm(ta ? Transpose.TRANSPOSE : Transpose.NONE, tb ? Transpose.TRANSPOSE : Transpose.NONE, m, n, k, alpha,
                a, 0, lda, b, 0, ldb, beta, c, 0, n);
        for (int i = 0; i < m * n; i++) {
            assertEquals(want[i], c[i], 1e-13 * (k + 2), g.kernelName() + " " + m + "x" + n + "x" + k + " at " + i);
        }
    }

    @Property(tries = 60)
    void matchesTheNaiveFloat64Product(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int n,
                                       @ForAll @IntRange(min = 1, max = 300) int k, @ForAll boolean ta, @ForAll boolean tb) {
        check(DoubleGemm.defaultGemm(), ta, tb, m, n, k, 1, 1, m * 7919L + n * 31L + k);
        check(DoubleGemm.create(Gemm.Kernel.PLAIN, 2), ta, tb, m, n, k, -0.5, 0, m + n + k);
        check(DoubleGemm.withKernel(new DoubleMicroKernel.Plain(false), 1), ta, tb, m, n, k, 1, 1, m + n * 3L + k);
        if (Gemm.vectorKernelAvailable()) {
            check(DoubleGemm.withKernel(new VectorDoubleMicroKernel(2), 2), ta, tb, m, n, k, 1, 1, m * 13L + n + k);
            check(DoubleGemm.withKernel(new VectorDoubleMicroKernel(3), 1), ta, tb, m, n, k, 1, 1, m * 13L + n + k);
        }
    }

    /** As for the float multiply: two- or three-vector tiles, and the plain kernel with FMAs, give the same bits. */
    @Test
    void tileWidthAndThePlainFusedKernelDoNotChangeABit() {
        Assumptions.assumeTrue(Gemm.vectorKernelAvailable(), "needs --add-modules jdk.incubator.vector");
        Random shapes = new Random(6);
        for (int t = 0; t < 30; t++) {
            int m = 1 + shapes.nextInt(100);
            int n = 1 + shapes.nextInt(100);
            int k = 1 + shapes.nextInt(600);
            boolean ta = shapes.nextBoolean();
            Random rnd = new Random(t);
            double[] a = rnd.doubles(m * k, -1, 1).toArray();
            double[] b = rnd.doubles(k * n, -1, 1).toArray();
            double[] c2 = rnd.doubles(m * n, -1, 1).toArray();
            double[] c3 = c2.clone();
            double[] cp = c2.clone();
            Transpose tA = ta ? Transpose.TRANSPOSE : Transpose.NONE;
            DoubleGemm.withKernel(new VectorDoubleMicroKernel(2), 2).gemm(tA, Transpose.NONE, m, n, k, 1, a, 0, ta ? m : k, b, 0, n, 1, c2, 0, n);
            DoubleGemm.withKernel(new VectorDoubleMicroKernel(3), 2).gemm(tA, Transpose.NONE, m, n, k, 1, a, 0, ta ? m : k, b, 0, n, 1, c3, 0, n);
            assertArrayEquals(c2, c3, 0.0, m + "x" + n + "x" + k + " " + ta);
            DoubleGemm.withKernel(new DoubleMicroKernel.Plain(true), 2).gemm(tA, Transpose.NONE, m, n, k, 1, a, 0, ta ? m : k, b, 0, n, 1, cp, 0, n);
            assertArrayEquals(c2, cp, 0.0, "plain fma " + m + "x" + n + "x" + k + " " + ta);
        }
    }

    @Test
    void largeProductsAreThreadCountIndependent() {
        Random rnd = new Random(1);
        int m = 300;
        int n = 280;
        int k = 600;
        double[] a = rnd.doubles(m * k).toArray();
        double[] b = rnd.doubles(k * n).toArray();
        double[] c1 = new double[m * n];
        double[] c2 = new double[m * n];
        DoubleGemm.create(Gemm.Kernel.AUTO, 1).gemm(Transpose.NONE, Transpose.NONE, m, n, k, 1, a, 0, k, b, 0, n, 0, c1, 0, n);
        DoubleGemm.create(Gemm.Kernel.AUTO, 2).gemm(Transpose.NONE, Transpose.NONE, m, n, k, 1, a, 0, k, b, 0, n, 0, c2, 0, n);
        assertArrayEquals(c1, c2, 0.0);
        check(DoubleGemm.defaultGemm(), true, false, m, n, k, 1, 0, 3);
    }

    /**
     * The upper-triangle update gives each entry on and above the diagonal the bits the full product gives it, and
     * leaves every entry below the diagonal (and around C's block) as it was.
     */
    @Property(tries = 40)
    void syrkUpperMatchesTheFullProductOnTheUpperTriangle(@ForAll @IntRange(min = 1, max = 90) int n,
                                                          @ForAll @IntRange(min = 1, max = 600) int k,
                                                          @ForAll @IntRange(min = 1, max = 3) int threads,
                                                          @ForAll boolean plain, @ForAll boolean accumulate) {
        DoubleGemm g = DoubleGemm.create(plain ? Gemm.Kernel.PLAIN : Gemm.Kernel.AUTO, threads);
        Random rnd = new Random(n * 1_000_003L + k * 31L + threads);
        int lda = n + 3;
        int aOff = 2;
        double[] a = rnd.doubles(aOff + (long) k * lda, -1, 1).toArray();
        int ldc = n + 5;
        int cOff = 7;
        double[] c = rnd.doubles(cOff + (long) n * ldc, -1, 1).toArray();
        double alpha = 0.75;
        double beta = accumulate ? 1.5 : 0;
        double[] full = c.clone();
        g.gemm(Transpose.TRANSPOSE, Transpose.NONE, n, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, full, cOff, ldc);
        double[] upper = c.clone();
        g.syrkUpper(n, k, alpha, a, aOff, lda, beta, upper, cOff, ldc);
        for (int idx = 0; idx < c.length; idx++) {
            int i = Math.floorDiv(idx - cOff, ldc);
            int j = idx - cOff - i * ldc;
            boolean inUpper = idx >= cOff && i < n && j < n && j >= i;
            double want = inUpper ? full[idx] : c[idx];
            assertEquals(want, upper[idx], 0.0, g.kernelName() + " n=" + n + " k=" + k + " threads=" + threads
                    + " at (" + i + ", " + j + ")");
        }
    }

    /** Past one row block (mc) and one column block (nc), where rows below a column block are skipped whole. */
    @Test
    void syrkUpperMatchesTheFullProductAcrossBlocks() {
        int n = 2100;
        int k = 5;
        Random rnd = new Random(11);
        double[] a = rnd.doubles((long) k * n, -1, 1).toArray();
        double[] c = rnd.doubles((long) n * n, -1, 1).toArray();
        for (int threads = 1; threads <= 3; threads++) {
            DoubleGemm g = DoubleGemm.create(Gemm.Kernel.AUTO, threads);
            double[] full = c.clone();
            g.gemm(Transpose.TRANSPOSE, Transpose.NONE, n, n, k, 1, a, 0, n, a, 0, n, 1, full, 0, n);
            double[] upper = c.clone();
            g.syrkUpper(n, k, 1, a, 0, n, 1, upper, 0, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double want = j >= i ? full[i * n + j] : c[i * n + j];
                    if (want != upper[i * n + j]) {
                        assertEquals(want, upper[i * n + j], 0.0, threads + " threads, at (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void syrkUpperRefusesAnOperandTooSmall() {
        DoubleGemm g = DoubleGemm.defaultGemm();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> g.syrkUpper(4, 3, 1, new double[11], 0, 4, 0, new double[16], 0, 4));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("A needs 12 elements"), e.getMessage());
    }
}
