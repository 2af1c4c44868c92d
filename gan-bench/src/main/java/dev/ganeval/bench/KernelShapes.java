package dev.ganeval.bench;

import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.DoubleGemm;
import dev.ganeval.core.linalg.Gemm;

import java.util.Arrays;
import java.util.Random;

/**
 * Two- against three-vector register tiles of the float and float64 micro-kernels, timed in one JVM with the two
 * calls interleaved, so that this shared machine's drifting load falls on both alike (separate JMH forks, minutes
 * apart, differ by more than the effect). The tiles come from {@link Gemm#withVectorTile} and
 * {@link DoubleGemm#withVectorTile}.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.KernelShapes [threads]</pre>
 */
public final class KernelShapes {
    private static final int WARMUP = 4;
    private static final int MEASURED = 24;

    private KernelShapes() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : ComputeThreads.get();
        if (!Gemm.vectorKernelAvailable()) {
            throw new IllegalStateException("run with --add-modules jdk.incubator.vector");
        }
        System.out.printf("threads %d; median of %d interleaved calls after %d warm-up; time ratio < 1: three vectors faster%n",
                threads, MEASURED, WARMUP);
        System.out.println("| product | shape (m×n×k) | 2 vectors GFLOP/s | 3 vectors GFLOP/s | time 3/2 | same bits |");
        System.out.println("|---|---|---|---|---|---|");
        Gemm f2 = Gemm.withVectorTile(2, threads);
        Gemm f3 = Gemm.withVectorTile(3, threads);
        // 1024³, the GAN step's products (batch 100, 784-1200-1200 layers; weight gradients with k = batch) and the
        // Parzen distances' transposed B.
        int[][] floatShapes = {{1024, 1024, 1024, 0}, {100, 1200, 784, 0}, {100, 1200, 1200, 0}, {1200, 1200, 100, 0},
                {200, 1200, 784, 0}, {100, 784, 1200, 1}, {2000, 2000, 784, 1}};
        Random rnd = new Random(1);
        for (int[] s : floatShapes) {
            int m = s[0], n = s[1], k = s[2];
            boolean tb = s[3] == 1;
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextFloat();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = rnd.nextFloat();
            }
            float[] c2 = new float[m * n];
            float[] c3 = new float[m * n];
            Gemm.Transpose t = tb ? Gemm.Transpose.TRANSPOSE : Gemm.Transpose.NONE;
            int ldb = tb ? k : n;
            double[] ms = time(2L * m * n * k,
                    () -> f2.gemm(Gemm.Transpose.NONE, t, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c2, 0, n),
                    () -> f3.gemm(Gemm.Transpose.NONE, t, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, c3, 0, n));
            row("float32", m + "×" + n + "×" + k + (tb ? "ᵀ" : ""), 2L * m * n * k, ms, Arrays.equals(c2, c3));
        }
        DoubleGemm d2 = DoubleGemm.withVectorTile(2, threads);
        DoubleGemm d3 = DoubleGemm.withVectorTile(3, threads);
        // A square product and the covariance's scatter blocks (Xᵀ·X over 2,048-row chunks, 256 rows at a time).
        int[][] doubleShapes = {{2048, 2048, 2048}, {256, 2048, 2048}};
        for (int[] s : doubleShapes) {
            int m = s[0], n = s[1], k = s[2];
            double[] a = rnd.doubles((long) k * m).toArray();
            double[] b = rnd.doubles((long) k * n).toArray();
            double[] c2 = new double[m * n];
            double[] c3 = new double[m * n];
            double[] ms = time(2L * m * n * k,
                    () -> d2.gemm(Gemm.Transpose.TRANSPOSE, Gemm.Transpose.NONE, m, n, k, 1, a, 0, m, b, 0, n, 0, c2, 0, n),
                    () -> d3.gemm(Gemm.Transpose.TRANSPOSE, Gemm.Transpose.NONE, m, n, k, 1, a, 0, m, b, 0, n, 0, c3, 0, n));
            row("float64", "ᵀ" + m + "×" + n + "×" + k, 2L * m * n * k, ms, Arrays.equals(c2, c3));
        }
    }

    /** Median seconds per call of each, alternating them call by call. */
    private static double[] time(long flop, Runnable first, Runnable second) {
        int reps = (int) Math.max(1, 2e9 / flop);
        double[][] t = new double[2][MEASURED];
        for (int it = 0; it < WARMUP + MEASURED; it++) {
            for (int v = 0; v < 2; v++) {
                Runnable r = v == 0 ? first : second;
                long t0 = System.nanoTime();
                for (int q = 0; q < reps; q++) {
                    r.run();
                }
                if (it >= WARMUP) {
                    t[v][it - WARMUP] = (System.nanoTime() - t0) / 1e9 / reps;
                }
            }
        }
        Arrays.sort(t[0]);
        Arrays.sort(t[1]);
        return new double[] {t[0][MEASURED / 2], t[1][MEASURED / 2]};
    }

    private static void row(String type, String shape, long flop, double[] s, boolean same) {
        System.out.printf("| %s | %s | %.1f | %.1f | %.3f | %s |%n", type, shape, flop / s[0] / 1e9, flop / s[1] / 1e9,
                s[1] / s[0], same ? "yes" : "NO");
    }
}
