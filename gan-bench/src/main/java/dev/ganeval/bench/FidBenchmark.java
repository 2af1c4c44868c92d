package dev.ganeval.bench;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.GaussianStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * FID's two costly steps: the distance between two sets of statistics (the step pytorch-fid does with scipy's
 * sqrtm) at d = 64, 768, 2048, and the statistics of 10,000 feature rows. Features are |N(0,1)| and |N(0,1.21)|,
 * like post-ReLU pool features; peers/fid_scipy.py draws the same kind.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 10, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
public class FidBenchmark {
    @Param({"64", "768", "2048"})
    public int dim;

    @Param({"10000"})
    public int rows;

    private FloatMatrix x;
    private GaussianStats s1;
    private GaussianStats s2;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        x = features(rnd, rows, dim, 1.0);
        s1 = GaussianStats.of(x);
        s2 = GaussianStats.of(features(rnd, rows, dim, 1.1));
    }

    static FloatMatrix features(SplittableRandom rnd, int n, int d, double scale) {
        FloatMatrix m = new FloatMatrix(n, d);
        float[] a = m.data();
        for (int i = 0; i < a.length; i++) {
            double u = rnd.nextDouble();
            double v = rnd.nextDouble();
            a[i] = (float) Math.abs(scale * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
        }
        return m;
    }

    @Benchmark
    public double distance() {
        return FrechetDistance.between(s1, s2).value();
    }

    @Benchmark
    public GaussianStats statistics() {
        return GaussianStats.of(x);
    }
}
