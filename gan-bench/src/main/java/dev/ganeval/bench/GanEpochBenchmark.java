package dev.ganeval.bench;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.GanTrainer;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.RowOps;
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

import java.util.concurrent.TimeUnit;

/** One training epoch of the 2014 MNIST GAN (500 steps of 100 real + 100 fake) on MNIST train[0:50000]. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GanEpochBenchmark {
    private GanTrainer trainer;

    @Setup(Level.Trial)
    public void setUp() {
        FloatMatrix data = Idx.readImages(Datasets.mnist(Datasets.Split.TRAIN).images()).rowRange(0, 50000);
        trainer = new GanTrainer(new ReferenceGan(GanConfig.mnistPaper(1), RowOps.columnMeans(data)), data);
    }

    @Benchmark
    public Object epoch() {
        return trainer.trainEpoch();
    }
}
