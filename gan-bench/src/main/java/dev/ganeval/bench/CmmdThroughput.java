package dev.ganeval.bench;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.Cmmd;

import java.util.Arrays;
import java.util.Random;

/**
 * The ganeval side of {@code compare.sh cmmd}: CMMD of two seeded sets of N L2-normalised D-dimensional embeddings
 * (as gan-bench/peers/cmmd_numpy.py makes them), 3 runs; prints one JSON line like the peer's. A single computation
 * takes seconds, so a plain timer is enough (no JMH).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.CmmdThroughput N D</pre>
 */
public final class CmmdThroughput {
    private CmmdThroughput() {}

    static FloatMatrix normalised(Random r, int n, int d, double shift) {
        FloatMatrix x = new FloatMatrix(n, d);
        float[] v = x.data();
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double g = r.nextGaussian() + shift;
                v[i * d + j] = (float) g;
                norm += g * g;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                v[i * d + j] *= inv;
            }
        }
        return x;
    }

    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        int d = Integer.parseInt(a[1]);
        Random r = new Random(0);
        FloatMatrix x = normalised(r, n, d, 0);
        FloatMatrix y = normalised(r, n, d, 0.05);
        double[] ts = new double[3];
        double value = 0;
        for (int k = 0; k < 3; k++) {
            long s = System.nanoTime();
            value = Cmmd.create().compute(x, y).value();
            ts[k] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ts);
        System.out.printf(java.util.Locale.ROOT, "{\"median_ms\": %.1f, \"min_ms\": %.1f, \"max_ms\": %.1f, \"value\": %.6f}%n",
                ts[1], ts[0], ts[2], value);
    }
}
