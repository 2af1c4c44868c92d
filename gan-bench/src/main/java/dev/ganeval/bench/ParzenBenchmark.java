package dev.ganeval.bench;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.metrics.ParzenWindow;
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

import java.util.concurrent.TimeUnit;

/**
 * The Parzen-window protocol's expensive step on MNIST: log p(x) of the 10,000 test images under 10,000
 * samples (train[0:10000] standing in for generated digits), for the whole 10-σ grid or for one σ.
 * Needs testdata/fetch-mnist.sh (compare.sh runs it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class ParzenBenchmark {
    @Param({"10", "1"})
    public int sigmas;

    @Param({"2"})
    public int threads;

    private FloatMatrix samples;
    private FloatMatrix test;
    private ParzenWindow parzen;

    @Setup(Level.Trial)
    public void setUp() {
        samples = Idx.readImages(Datasets.mnist(Datasets.Split.TRAIN).images()).rowRange(0, 10000);
        test = Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images());
        ParzenWindow.Builder b = ParzenWindow.builder().gemm(Gemm.withThreads(threads));
        parzen = (sigmas == 1 ? b.sigmas(ParzenWindow.defaultSigmas()[4]) : b.sigmas(ParzenWindow.logGrid(0.1, 1, sigmas))).build();
    }

    @Benchmark
    public double[][] logLikelihoods() {
        return parzen.logLikelihoods(samples, test);
    }
}
