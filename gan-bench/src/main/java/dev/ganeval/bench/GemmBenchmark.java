package dev.ganeval.bench;

import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.Gemm.Transpose;
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
 * Float32 GEMM {@code C = A·op(B)} on the shapes the issues name: square 1024³ and 2048³, and the Parzen
 * shape (10,000 test rows against 10,000 samples of 784 pixels, B transposed as the distance kernel uses it).
 * FLOP per op = 2·m·n·k; compare.sh turns the time into GFLOP/s next to numpy's on the same shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 7, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx6g"})
public class GemmBenchmark {
    /** m x n x k, with "t" when B is used transposed. */
    @Param({"1024x1024x1024", "2048x2048x2048", "10000x10000x784t"})
    public String shape;

    @Param({"2"})
    public int threads;

    @Param({"auto"})
    public String kernel;

    private int m;
    private int n;
    private int k;
    private boolean transB;
    private float[] a;
    private float[] b;
    private float[] c;
    private Gemm gemm;

    @Setup(Level.Trial)
    public void setUp() {
        transB = shape.endsWith("t");
        String[] dims = shape.replace("t", "").split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        SplittableRandom rnd = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextDouble();
        }
        gemm = Gemm.create(Gemm.Kernel.valueOf(kernel.toUpperCase(java.util.Locale.ROOT)), threads);
    }

    @Benchmark
    public float[] gemm() {
        gemm.gemm(Transpose.NONE, transB ? Transpose.TRANSPOSE : Transpose.NONE, m, n, k, 1f,
                a, 0, k, b, 0, transB ? k : n, 0f, c, 0, n);
        return c;
    }
}
