package dev.ganeval.bench;

import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.features.EmbeddedNetworks;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The embedded MNIST network's feature throughput: 10,000 MNIST-sized images through its features. (Inception-v3's
 * feature path, preprocessing included, is timed by {@link InceptionThroughput} in {@code compare.sh features}.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class FeatureBenchmark {
    @Param({"2"})
    public int threads;

    private OnnxFeatureExtractor mnist;
    private FloatMatrix gray;

    @Setup(Level.Trial)
    public void setUp() {
        ComputeThreads.set(threads);
        SplittableRandom rnd = new SplittableRandom(5);
        gray = new FloatMatrix(10000, 784);
        float[] a = gray.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        mnist = EmbeddedNetworks.mnist("features", Device.CPU);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mnist.close();
    }

    @Benchmark
    public FloatMatrix mnistMlp() {
        return mnist.extract(gray);
    }
}
