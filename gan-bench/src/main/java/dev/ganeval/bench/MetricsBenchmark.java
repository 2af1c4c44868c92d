package dev.ganeval.bench;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.InceptionScore;
import dev.ganeval.metrics.KernelInceptionDistance;
import dev.ganeval.metrics.PrecisionRecall;
import dev.ganeval.metrics.Wasserstein;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The other metrics on the inputs peers/metrics_python.py times in numpy, scipy and POT: IS on 50,000 × 1,008
 * logits; KID with 10 subsets of 1,000 on 2,000 × 2,048 features; PRDC on 5,000 × 5,000 × 2,048; exact W1/W2
 * between 500 and 500 points in 64-d; sliced W2 (50 directions) between 10,000 and 10,000 points in 2,048-d.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class MetricsBenchmark {
    private FloatMatrix logits;
    private FloatMatrix kidA;
    private FloatMatrix kidB;
    private FloatMatrix prA;
    private FloatMatrix prB;
    private FloatMatrix otA;
    private FloatMatrix otB;
    private FloatMatrix slA;
    private FloatMatrix slB;

    static FloatMatrix gaussian(SplittableRandom rnd, int n, int d, double shift) {
        FloatMatrix x = new FloatMatrix(n, d);
        float[] a = x.data();
        for (int i = 0; i < a.length; i++) {
            double u = rnd.nextDouble();
            double v = rnd.nextDouble();
            a[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v) + shift);
        }
        return x;
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(3);
        logits = gaussian(rnd, 50000, 1008, 0);
        kidA = gaussian(rnd, 2000, 2048, 0);
        kidB = gaussian(rnd, 2000, 2048, 0.1);
        prA = gaussian(rnd, 5000, 2048, 0);
        prB = gaussian(rnd, 5000, 2048, 0.1);
        otA = gaussian(rnd, 500, 64, 0);
        otB = gaussian(rnd, 500, 64, 0.5);
        slA = gaussian(rnd, 10000, 2048, 0);
        slB = gaussian(rnd, 10000, 2048, 0.1);
    }

    @Benchmark
    public double inceptionScore() {
        return InceptionScore.create().compute(logits).value();
    }

    @Benchmark
    public double kid() {
        return KernelInceptionDistance.builder().subsets(10).build().compute(kidA, kidB).value();
    }

    @Benchmark
    public double prdc() {
        return PrecisionRecall.create().compute(prA, prB).precision();
    }

    @Benchmark
    public double exactW1() {
        return Wasserstein.exact(otA, otB, 1).cost();
    }

    @Benchmark
    public double slicedW2() {
        return Wasserstein.sliced(slA, slB, 2, 50, 7).distance();
    }
}
