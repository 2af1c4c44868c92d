package dev.ganeval.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * This machine's float32 multiply-add peak on T threads: each thread runs twelve independent chains of fused
 * multiply-adds on the widest vectors the JVM offers, enough to keep every FMA pipe busy behind its latency, and
 * nothing else (no loads, no stores). No network of fixed arithmetic can run faster than this on these threads, so
 * {@code compare.sh features} and {@code vit} divide it by a peer's achieved GFLOP/s to give the highest speed-up
 * over that peer that the machine allows. Prints one JSON line: the median of 5 runs and each run.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.FmaPeak T</pre>
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static final long STEPS = 100_000_000L;

    private FmaPeak() {}

    public static void main(String[] a) throws Exception {
        int threads = a.length > 0 ? Integer.parseInt(a[0]) : 2;
        chains(2_000_000);
        double[] runs = new double[5];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = 0; r < runs.length; r++) {
                Callable<Float> job = () -> chains(STEPS);
                Future<?>[] f = new Future<?>[threads];
                long t = System.nanoTime();
                for (int i = 0; i < threads; i++) {
                    f[i] = pool.submit(job);
                }
                for (Future<?> x : f) {
                    x.get();
                }
                double seconds = (System.nanoTime() - t) / 1e9;
                runs[r] = 2.0 * CHAINS * S.length() * STEPS * threads / seconds / 1e9;
            }
        } finally {
            pool.shutdown();
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        StringBuilder each = new StringBuilder();
        for (double g : runs) {
            each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", g));
        }
        System.out.printf(Locale.ROOT, "{\"threads\": %d, \"lanes\": %d, \"gflops\": %.1f, \"runs\": [%s]}%n", threads,
                S.length(), sorted[runs.length / 2], each);
    }

    /** Twelve chains of {@code steps} multiply-adds each; the sum is returned so the work cannot be dropped. */
    private static float chains(long steps) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f);
        FloatVector y = FloatVector.broadcast(S, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(S, 1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        FloatVector c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < steps; i++) {
            c0 = c0.fma(x, y);
            c1 = c1.fma(x, y);
            c2 = c2.fma(x, y);
            c3 = c3.fma(x, y);
            c4 = c4.fma(x, y);
            c5 = c5.fma(x, y);
            c6 = c6.fma(x, y);
            c7 = c7.fma(x, y);
            c8 = c8.fma(x, y);
            c9 = c9.fma(x, y);
            c10 = c10.fma(x, y);
            c11 = c11.fma(x, y);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
