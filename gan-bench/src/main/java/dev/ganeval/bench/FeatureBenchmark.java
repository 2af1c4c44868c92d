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

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * ONNX feature extraction throughput, preprocessing included: {@code inception} runs 100 RGB 32×32 images through
 * pytorch-fid's protocol (bilinear resize to 299, 2x − 1) and an Inception-v3 ONNX file given as
 * {@code -p model=...} (compare.sh makes one with tools/export_inception_onnx.py --source random), batches of 50;
 * {@code mnistMlp} runs 10,000 MNIST-sized images through the embedded network's features.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class FeatureBenchmark {
    @Param({""})
    public String model;

    @Param({"2"})
    public int threads;

    private OnnxFeatureExtractor inception;
    private OnnxFeatureExtractor mnist;
    private FloatMatrix rgb;
    private FloatMatrix gray;

    @Setup(Level.Trial)
    public void setUp() {
        ComputeThreads.set(threads);
        SplittableRandom rnd = new SplittableRandom(5);
        rgb = new FloatMatrix(100, 3 * 32 * 32);
        gray = new FloatMatrix(10000, 784);
        for (float[] a : new float[][] {rgb.data(), gray.data()}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextDouble();
            }
        }
        if (!model.isEmpty()) {
            inception = new OnnxFeatureExtractor(Path.of(model), "pool", 3, 32, 32, 299, Device.CPU, 50);
        }
        mnist = EmbeddedNetworks.mnist("features", Device.CPU);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (inception != null) {
            inception.close();
        }
        mnist.close();
    }

    @Benchmark
    public FloatMatrix inception() {
        if (inception == null) {
            throw new IllegalStateException("pass -p model=inception.onnx (see compare.sh features)");
        }
        return inception.extract(rgb);
    }

    @Benchmark
    public FloatMatrix mnistMlp() {
        return mnist.extract(gray);
    }
}
