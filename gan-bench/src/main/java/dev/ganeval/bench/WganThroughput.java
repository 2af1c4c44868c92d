package dev.ganeval.bench;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.WassersteinCritic;
import dev.ganeval.metrics.WganResult;

import java.util.Random;

/**
 * The ganeval side of {@code compare.sh wgan}: the {@code wgan} metric's critic trained for STEPS updates on N × D
 * seeded Gaussian rows a side (the second shifted by 0.05 in every coordinate, as gan-bench/peers/wgan_torch.py makes
 * them), then scored on the held-out halves; one run (a run takes minutes, so a plain timer). Prints one JSON line
 * like the peer's.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.WganThroughput \
 *     N D STEPS WIDTH DEPTH BATCH</pre>
 */
public final class WganThroughput {
    private WganThroughput() {}

    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]);
        int d = Integer.parseInt(a[1]);
        Random r = new Random(0);
        FloatMatrix real = new FloatMatrix(n, d);
        FloatMatrix fake = new FloatMatrix(n, d);
        for (int i = 0; i < n * d; i++) {
            real.data()[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n * d; i++) {
            fake.data()[i] = (float) (r.nextGaussian() + 0.05);
        }
        WassersteinCritic critic = WassersteinCritic.builder().steps(Integer.parseInt(a[2])).width(Integer.parseInt(a[3]))
                .depth(Integer.parseInt(a[4])).batch(Integer.parseInt(a[5])).build();
        long start = System.nanoTime();
        WganResult result = critic.compute(real, fake);
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(java.util.Locale.ROOT, "{\"ms\": %.1f, \"estimate\": %.6f, \"standard_error\": %.6f}%n", ms,
                result.estimate(), result.standardError());
    }
}
