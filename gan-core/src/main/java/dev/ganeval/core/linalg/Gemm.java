package dev.ganeval.core.linalg;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * General matrix multiply {@code C = α·op(A)·op(B) + β·C} on row-major {@code float} data, where
 * {@code op(X)} is X or Xᵀ.
 *
 * <p>The algorithm is the Goto/BLIS one: B is packed into {@code KC × NC} panels (reused from L3),
 * A into {@code MC × KC} blocks (reused from L2), and a register-tiled {@link MicroKernel} multiplies
 * one A micro-panel by one B micro-panel (kept in L1). Packing absorbs the transposes and α, and pads
 * edge tiles with zeros, so the micro-kernel only ever sees full, unit-stride tiles. Work is split over
 * threads by disjoint blocks of C (columns when C is wide enough, otherwise rows), so the result does
 * not depend on the thread count: every element is summed over k in the same order whatever the split.
 *
 * <p>The micro-kernel uses the JDK's Vector API when the {@code jdk.incubator.vector} module is
 * readable (launch with {@code --add-modules jdk.incubator.vector}); otherwise a plain-Java kernel.
 * The system property {@code ganeval.kernel} ({@code auto}, {@code vector}, {@code plain}) forces one.
 *
 * <p>Instances are immutable and thread-safe; one call costs {@code 2·m·n·k} FLOP.
 */
public final class Gemm {
    /** Whether an operand is used as stored or transposed. */
    public enum Transpose { NONE, TRANSPOSE }

    /** Which micro-kernel to use. */
    public enum Kernel { AUTO, VECTOR, PLAIN }

    private static final int KC = Integer.getInteger("ganeval.gemm.kc", 512);
    private static final int MC_TARGET = Integer.getInteger("ganeval.gemm.mc", 256);
    private static final int NC_TARGET = Integer.getInteger("ganeval.gemm.nc", 2048);
    private static final MicroKernel BEST = selectKernel(Kernel.valueOf(
            System.getProperty("ganeval.kernel", "auto").trim().toUpperCase(Locale.ROOT)));
    private static volatile Gemm shared = new Gemm(BEST, ComputeThreads.get());

    private final MicroKernel kernel;
    private final int threads;
    private final int mc;
    private final int nc;
    private final ThreadLocal<float[][]> buffers;

    private Gemm(MicroKernel kernel, int threads) {
        this.kernel = kernel;
        this.threads = threads;
        this.mc = MC_TARGET / kernel.mr() * kernel.mr();
        this.nc = NC_TARGET / kernel.nr() * kernel.nr();
        int mr = kernel.mr();
        int nr = kernel.nr();
        this.buffers = ThreadLocal.withInitial(() -> new float[][] {
                new float[mc * KC], new float[nc * KC], new float[mr * nr], new float[mr * nr]});
    }

    /** The shared instance: best kernel, {@link ComputeThreads#get()} threads. */
    public static Gemm defaultGemm() {
        Gemm g = shared;
        int threads = ComputeThreads.get();
        if (g.threads != threads) {
            g = new Gemm(BEST, threads);
            shared = g;
        }
        return g;
    }

    /** A multiply on a given micro-kernel, to compare kernels side by side (tests, {@link #withVectorTile}). */
    static Gemm withKernel(MicroKernel kernel, int threads) {
        return new Gemm(Objects.requireNonNull(kernel, "kernel"), threads);
    }

    /**
     * For benchmarks: a multiply on the Vector API kernel with a register tile of {@code vectors} vectors a row (2 or 3;
     * 8×16 or 8×24 floats on AVX2, 8×32 or 8×48 on AVX-512), so the two tiles can be timed side by side (gan-bench's
     * {@code KernelShapes}). The results are bit-identical whichever tile computes them; {@link #create} and
     * {@link #defaultGemm()} already pick the tile for this machine, and are what other code should use.
     *
     * @throws IllegalArgumentException if {@code vectors} is not 2 or 3, or {@code threads} is below 1
     * @throws IllegalStateException if the Vector API kernel cannot run in this JVM (e.g. without
     *     {@code --add-modules jdk.incubator.vector})
     */
    public static Gemm withVectorTile(int vectors, int threads) {
        return new Gemm(VectorSupport.loadTile("dev.ganeval.core.linalg.VectorMicroKernel", MicroKernel.class, vectors, threads),
                threads);
    }

    /** The best available kernel with the given number of threads (at least 1). */
    public static Gemm withThreads(int threads) {
        return create(Kernel.AUTO, threads);
    }

    /**
     * A multiply with a chosen kernel and thread count.
     *
     * @throws IllegalStateException if {@link Kernel#VECTOR} is asked for but the Vector API module is not
     *     readable in this JVM
     */
    public static Gemm create(Kernel kernel, int threads) {
        Objects.requireNonNull(kernel, "kernel");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return new Gemm(kernel == Kernel.AUTO ? BEST : selectKernel(kernel), threads);
    }

    /** True when the Vector API kernel can be used in this JVM. */
    public static boolean vectorKernelAvailable() {
        return loadVectorKernel() != null;
    }

    public int threads() {
        return threads;
    }

    /** The micro-kernel in use, e.g. {@code vector-512 8x32} or {@code plain 4x16}. */
    public String kernelName() {
        return kernel.name();
    }

    private static MicroKernel selectKernel(Kernel choice) {
        if (choice == Kernel.PLAIN) {
            return new PlainMicroKernel();
        }
        MicroKernel vector = loadVectorKernel();
        if (vector != null) {
            return vector;
        }
        if (choice == Kernel.VECTOR) {
            throw new IllegalStateException("the Vector API kernel was asked for but cannot run: " + VectorSupport.whyNotVector()
                    + "; or use the plain kernel");
        }
        return new PlainMicroKernel();
    }

    private static MicroKernel loadVectorKernel() {
        // With 128-bit SIMD the auto-vectorised plain kernel is as good.
        return VectorSupport.load("dev.ganeval.core.linalg.VectorMicroKernel", MicroKernel.class, 8);
    }

    /** {@code A·B} as a new matrix. */
    public FloatMatrix multiply(FloatMatrix a, FloatMatrix b) {
        return multiply(Transpose.NONE, a, Transpose.NONE, b);
    }

    /** {@code op(A)·op(B)} as a new matrix. */
    public FloatMatrix multiply(Transpose ta, FloatMatrix a, Transpose tb, FloatMatrix b) {
        int m = ta == Transpose.NONE ? a.rows() : a.cols();
        int n = tb == Transpose.NONE ? b.cols() : b.rows();
        FloatMatrix c = new FloatMatrix(m, n);
        multiply(ta, tb, 1f, a, b, 0f, c);
        return c;
    }

    /**
     * {@code C = α·op(A)·op(B) + β·C}. With β = 0, C is overwritten (NaN in C does not propagate).
     *
     * @throws IllegalArgumentException if the shapes do not conform
     */
    public void multiply(Transpose ta, Transpose tb, float alpha, FloatMatrix a, FloatMatrix b, float beta,
                         FloatMatrix c) {
        Objects.requireNonNull(ta, "ta");
        Objects.requireNonNull(tb, "tb");
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(c, "c");
        int m = ta == Transpose.NONE ? a.rows() : a.cols();
        int ka = ta == Transpose.NONE ? a.cols() : a.rows();
        int kb = tb == Transpose.NONE ? b.rows() : b.cols();
        int n = tb == Transpose.NONE ? b.cols() : b.rows();
        if (ka != kb) {
            throw new IllegalArgumentException("inner dimensions differ: op(A) is " + m + "x" + ka
                    + " but op(B) is " + kb + "x" + n);
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("C is " + c.rows() + "x" + c.cols() + " but op(A)·op(B) is " + m + "x" + n);
        }
        gemm(ta, tb, m, n, ka, alpha, a.data(), 0, a.cols(), b.data(), 0, b.cols(), beta, c.data(), 0, c.cols());
    }

    /**
     * BLAS-style entry point on raw row-major arrays with offsets and leading dimensions, for working on
     * sub-blocks without copies. {@code op(A)} is {@code m × k}, {@code op(B)} is {@code k × n}, C is
     * {@code m × n}; {@code lda} is the row stride of A as stored (so {@code ≥ k} for NONE, {@code ≥ m}
     * for TRANSPOSE), and likewise for B and C.
     */
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        Objects.requireNonNull(a, "A");
        Objects.requireNonNull(b, "B");
        Objects.requireNonNull(c, "C");
        GotoLoops.checkOperand("A", a.length, aOff, lda, ta == Transpose.NONE ? m : k, ta == Transpose.NONE ? k : m);
        GotoLoops.checkOperand("B", b.length, bOff, ldb, tb == Transpose.NONE ? k : n, tb == Transpose.NONE ? n : k);
        GotoLoops.checkOperand("C", c.length, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        Job job = new Job(ta == Transpose.TRANSPOSE, tb == Transpose.TRANSPOSE, alpha, a, aOff, lda,
                b, bOff, ldb, beta, c, cOff, ldc);
        GotoLoops.Plan plan = new GotoLoops.Plan(m, n, k, kernel.mr(), kernel.nr(), KC, mc, nc, alpha == 0f);
        GotoLoops.run(plan, threads, () -> new Block(job, buffers.get()));
    }

    private record Job(boolean transA, boolean transB, float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {}

    /** One thread's packing buffers and the float operations of the loop nest. */
    private final class Block implements GotoLoops.Block {
        private final Job job;
        private final float[] ap;
        private final float[] bp;
        private final float[] tile;
        private final float[] acc;

        Block(Job job, float[][] buf) {
            this.job = job;
            this.ap = buf[0];
            this.bp = buf[1];
            this.tile = buf[2];
            this.acc = buf[3];
        }

        @Override
        public void scale(int m0, int m1, int n0, int n1) {
            if (job.beta == 1f) {
                return;
            }
            float[] c = job.c;
            for (int i = m0; i < m1; i++) {
                int row = job.cOff + i * job.ldc;
                if (job.beta == 0f) {
                    Arrays.fill(c, row + n0, row + n1, 0f);
                } else {
                    for (int j = n0; j < n1; j++) {
                        c[row + j] *= job.beta;
                    }
                }
            }
        }

        @Override
        public void multiply(int kc, int aOff, int bOff, int row, int col, int mb, int nb) {
            int mr = kernel.mr();
            int nr = kernel.nr();
            int cOff = job.cOff + row * job.ldc + col;
            if (mb == mr && nb == nr) {
                kernel.multiplyAdd(kc, ap, aOff, bp, bOff, job.c, cOff, job.ldc, acc);
                return;
            }
            Arrays.fill(tile, 0f);
            kernel.multiplyAdd(kc, ap, aOff, bp, bOff, tile, 0, nr, acc);
            for (int i = 0; i < mb; i++) {
                int r = cOff + i * job.ldc;
                for (int j = 0; j < nb; j++) {
                    job.c[r + j] += tile[i * nr + j];
                }
            }
        }

        /** k-major {@code kc × mr} micro-panels of α·op(A), the last one zero-padded. */
        @Override
        public void packA(int ic, int mcb, int pc, int kc) {
            int mr = kernel.mr();
            float[] a = job.a;
            float alpha = job.alpha;
            int lda = job.lda;
            for (int ir = 0; ir < mcb; ir += mr) {
                int base = ir * kc;
                int rows = Math.min(mr, mcb - ir);
                if (!job.transA && rows == mr) {
                    kernel.packRows(kc, alpha, a, job.aOff + (ic + ir) * lda + pc, lda, ap, base);
                } else if (!job.transA) {
                    for (int r = 0; r < rows; r++) {
                        int src = job.aOff + (ic + ir + r) * lda + pc;
                        for (int p = 0; p < kc; p++) {
                            ap[base + p * mr + r] = alpha * a[src + p];
                        }
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = job.aOff + (pc + p) * lda + ic + ir;
                        int dst = base + p * mr;
                        for (int r = 0; r < rows; r++) {
                            ap[dst + r] = alpha * a[src + r];
                        }
                    }
                }
                if (rows < mr) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(ap, base + p * mr + rows, base + p * mr + mr, 0f);
                    }
                }
            }
        }

        /** k-major {@code kc × nr} micro-panels of op(B), the last one zero-padded. */
        @Override
        public void packB(int pc, int kc, int jc, int ncb) {
            int nr = kernel.nr();
            float[] b = job.b;
            int ldb = job.ldb;
            for (int jr = 0; jr < ncb; jr += nr) {
                int base = jr * kc;
                int cols = Math.min(nr, ncb - jr);
                if (!job.transB) {
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, job.bOff + (pc + p) * ldb + jc + jr, bp, base + p * nr, cols);
                    }
                } else if (cols == nr) {
                    kernel.packTransposedColumns(kc, b, job.bOff + (jc + jr) * ldb + pc, ldb, bp, base);
                } else {
                    for (int j = 0; j < cols; j++) {
                        int src = job.bOff + (jc + jr + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) {
                            bp[base + p * nr + j] = b[src + p];
                        }
                    }
                }
                if (cols < nr) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(bp, base + p * nr + cols, base + p * nr + nr, 0f);
                    }
                }
            }
        }
    }
}
