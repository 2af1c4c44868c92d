package dev.ganeval.bench;

import dev.ganeval.core.linalg.CovarianceAccumulator;
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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What one step of gan-spark's tree reduce costs at d = 2,048 (docs/scale.md): merging two partitions' statistics as
 * its PartialStats does (both read back into accumulators, Chan's update, the symmetric scatter copied out), and the
 * Java serialisation round trip of one partition's 2,048² scatter (32 MiB) that Spark pays to move it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class StatsMergeBenchmark {
    @Param({"2048"})
    public int dim;

    private long countA;
    private double[] meanA;
    private double[] scatterA;
    private long countB;
    private double[] meanB;
    private double[] scatterB;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(3);
        CovarianceAccumulator a = new CovarianceAccumulator(dim);
        a.add(FidBenchmark.features(rnd, 2500, dim, 1.0));
        CovarianceAccumulator b = new CovarianceAccumulator(dim);
        b.add(FidBenchmark.features(rnd, 2500, dim, 1.1));
        countA = a.count();
        meanA = a.mean();
        scatterA = a.scatter();
        countB = b.count();
        meanB = b.mean();
        scatterB = b.scatter();
    }

    @Benchmark
    public double[] merge() {
        CovarianceAccumulator acc = CovarianceAccumulator.of(countA, meanA, scatterA);
        acc.merge(CovarianceAccumulator.of(countB, meanB, scatterB));
        return acc.scatter();
    }

    @Benchmark
    public Object serialiseScatter() throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(scatterA.length * 8 + 1024);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(scatterA);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
