package dev.ganeval.core.linalg;

import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.Arrays;
import java.util.Objects;

/**
 * Float64 GEMM {@code C = α·op(A)·op(B) + β·C} on row-major {@code double[]} with offsets and leading
 * dimensions, for the dense linear algebra where float32 is not enough (FID's covariances). Same loop nest as
 * {@link Gemm} ({@link GotoLoops}), with an 8×16 Vector API kernel when {@code jdk.incubator.vector} is
 * readable and a plain 4×8 kernel otherwise. Results do not depend on the thread count.
 */
public final class DoubleGemm {
    private static final int KC = 256;
    private static final int MC = 128;
    private static final int NC = 2048;

    private static final DoubleMicroKernel BEST = select();
    private static volatile DoubleGemm shared = new DoubleGemm(BEST, ComputeThreads.get());

    private final DoubleMicroKernel kernel;
    private final int threads;
    private final int mc;
    private final int nc;
    private final ThreadLocal<double[][]> buffers;

    private DoubleGemm(DoubleMicroKernel kernel, int threads) {
        this.kernel = kernel;
        this.threads = threads;
        this.mc = MC / kernel.mr() * kernel.mr();
        this.nc = NC / kernel.nr() * kernel.nr();
        this.buffers = ThreadLocal.withInitial(() -> new double[][] {
                new double[mc * KC], new double[nc * KC], new double[kernel.mr() * kernel.nr()],
                new double[kernel.mr() * kernel.nr()]});
    }

    private static DoubleMicroKernel select() {
        if ("plain".equalsIgnoreCase(System.getProperty("ganeval.kernel", "auto"))) {
            return new DoubleMicroKernel.Plain();
        }
        DoubleMicroKernel k = VectorSupport.load("dev.ganeval.core.linalg.VectorDoubleMicroKernel", DoubleMicroKernel.class, 8);
        return k != null ? k : new DoubleMicroKernel.Plain();
    }

    /** Best kernel, {@link ComputeThreads#get()} threads. */
    public static DoubleGemm defaultGemm() {
        DoubleGemm g = shared;
        int threads = ComputeThreads.get();
        if (g.threads != threads) {
            g = new DoubleGemm(BEST, threads);
            shared = g;
        }
        return g;
    }

    /** A multiply on a given micro-kernel, to compare kernels side by side (tests, {@link #withVectorTile}). */
    static DoubleGemm withKernel(DoubleMicroKernel kernel, int threads) {
        return new DoubleGemm(Objects.requireNonNull(kernel, "kernel"), threads);
    }

    /**
     * For benchmarks: a multiply on the Vector API kernel with a register tile of {@code vectors} vectors a row (2 or 3;
     * 8×8 or 8×12 doubles on AVX2, 8×16 or 8×24 on AVX-512), so the two tiles can be timed side by side (gan-bench's
     * {@code KernelShapes}). The results are bit-identical whichever tile computes them; {@link #create} and
     * {@link #defaultGemm()} already pick the tile for this machine, and are what other code should use.
     *
     * @throws IllegalArgumentException if {@code vectors} is not 2 or 3, or {@code threads} is below 1
     * @throws IllegalStateException if the Vector API kernel cannot run in this JVM (e.g. without
     *     {@code --add-modules jdk.incubator.vector})
     */
    public static DoubleGemm withVectorTile(int vectors, int threads) {
        return new DoubleGemm(VectorSupport.loadTile("dev.ganeval.core.linalg.VectorDoubleMicroKernel", DoubleMicroKernel.class,
                vectors, threads), threads);
    }

    /** The given kernel choice (AUTO or PLAIN) and thread count. */
    public static DoubleGemm create(Gemm.Kernel kernel, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        DoubleMicroKernel k = switch (Objects.requireNonNull(kernel, "kernel")) {
            case PLAIN -> new DoubleMicroKernel.Plain();
            case AUTO -> BEST;
            case VECTOR -> {
                if (BEST instanceof DoubleMicroKernel.Plain) {
                    throw new IllegalStateException("the Vector API kernel was asked for but cannot run: "
                            + VectorSupport.whyNotVector() + "; or use the plain kernel");
                }
                yield BEST;
            }
        };
        return new DoubleGemm(k, threads);
    }

    public int threads() {
        return threads;
    }

    public String kernelName() {
        return kernel.name();
    }

    /**
     * {@code C = α·op(A)·op(B) + β·C}: {@code op(A)} is {@code m × k}, {@code op(B)} is {@code k × n}; each
     * leading dimension is the row stride of the array as stored.
     */
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        Objects.requireNonNull(a, "A");
        Objects.requireNonNull(b, "B");
        Objects.requireNonNull(c, "C");
        GotoLoops.checkOperand("A", a.length, aOff, lda, ta == Transpose.NONE ? m : k, ta == Transpose.NONE ? k : m);
        GotoLoops.checkOperand("B", b.length, bOff, ldb, tb == Transpose.NONE ? k : n, tb == Transpose.NONE ? n : k);
        GotoLoops.checkOperand("C", c.length, cOff, ldc, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        Job job = new Job(ta == Transpose.TRANSPOSE, tb == Transpose.TRANSPOSE, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, false);
        GotoLoops.Plan plan = new GotoLoops.Plan(m, n, k, kernel.mr(), kernel.nr(), KC, mc, nc, alpha == 0);
        GotoLoops.run(plan, threads, () -> new Block(job, buffers.get()));
    }

    /**
     * The upper triangle of {@code C = α·AᵀA + β·C} (BLAS {@code dsyrk} with {@code uplo = 'U', trans = 'T'}):
     * {@code A} is {@code k × n} with leading dimension {@code lda} (one observation a row, as a scatter matrix
     * wants), {@code C} is {@code n × n}. Only entries with column ≥ row are read or written, so the strictly lower
     * triangle of {@code C} is left as it was; each computed entry has the same bits as {@link #gemm} gives it, for
     * half the multiply-adds and one packing of {@code A} per block instead of one per strip of rows.
     */
    public void syrkUpper(int n, int k, double alpha, double[] a, int aOff, int lda, double beta,
                          double[] c, int cOff, int ldc) {
        Objects.requireNonNull(a, "A");
        Objects.requireNonNull(c, "C");
        GotoLoops.checkOperand("A", a.length, aOff, lda, k, n);
        GotoLoops.checkOperand("C", c.length, cOff, ldc, n, n);
        if (n == 0) {
            return;
        }
        Job job = new Job(true, false, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc, true);
        GotoLoops.Plan plan = new GotoLoops.Plan(n, n, k, kernel.mr(), kernel.nr(), KC, mc, nc, alpha == 0, true);
        GotoLoops.run(plan, threads, () -> new Block(job, buffers.get()));
    }

    /** {@code upper}: only entries with column ≥ row are touched (see {@link #syrkUpper}). */
    private record Job(boolean transA, boolean transB, double alpha, double[] a, int aOff, int lda,
                       double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, boolean upper) {}

    private final class Block implements GotoLoops.Block {
        private final Job job;
        private final double[] ap;
        private final double[] bp;
        private final double[] tile;
        private final double[] acc;

        Block(Job job, double[][] buf) {
            this.job = job;
            this.ap = buf[0];
            this.bp = buf[1];
            this.tile = buf[2];
            this.acc = buf[3];
        }

        @Override
        public void scale(int m0, int m1, int n0, int n1) {
            if (job.beta == 1) {
                return;
            }
            for (int i = m0; i < m1; i++) {
                int row = job.cOff + i * job.ldc;
                int from = job.upper ? Math.max(n0, i) : n0;
                if (from >= n1) {
                    continue;
                }
                if (job.beta == 0) {
                    Arrays.fill(job.c, row + from, row + n1, 0);
                } else {
                    for (int j = from; j < n1; j++) {
                        job.c[row + j] *= job.beta;
                    }
                }
            }
        }

        @Override
        public void multiply(int kc, int aOff, int bOff, int row, int col, int mb, int nb) {
            int mr = kernel.mr();
            int nr = kernel.nr();
            int cOff = job.cOff + row * job.ldc + col;
            // A tile across the diagonal of an upper-only product goes through the scratch tile, which adds the
            // same sums, so that C's lower triangle stays untouched.
            boolean straddles = job.upper && row + mb - 1 > col;
            if (mb == mr && nb == nr && !straddles) {
                kernel.multiplyAdd(kc, ap, aOff, bp, bOff, job.c, cOff, job.ldc, acc);
                return;
            }
            Arrays.fill(tile, 0);
            kernel.multiplyAdd(kc, ap, aOff, bp, bOff, tile, 0, nr, acc);
            for (int i = 0; i < mb; i++) {
                int from = straddles ? Math.max(0, row + i - col) : 0;
                for (int j = from; j < nb; j++) {
                    job.c[cOff + i * job.ldc + j] += tile[i * nr + j];
                }
            }
        }

        /** k-major {@code kc × mr} micro-panels of α·op(A), the last one zero-padded. */
        @Override
        public void packA(int ic, int mcb, int pc, int kc) {
            int mr = kernel.mr();
            double[] a = job.a;
            double alpha = job.alpha;
            int lda = job.lda;
            for (int ir = 0; ir < mcb; ir += mr) {
                int base = ir * kc;
                int rows = Math.min(mr, mcb - ir);
                if (!job.transA) {
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
                        Arrays.fill(ap, base + p * mr + rows, base + p * mr + mr, 0);
                    }
                }
            }
        }

        /** k-major {@code kc × nr} micro-panels of op(B), the last one zero-padded. */
        @Override
        public void packB(int pc, int kc, int jc, int ncb) {
            int nr = kernel.nr();
            double[] b = job.b;
            int ldb = job.ldb;
            for (int jr = 0; jr < ncb; jr += nr) {
                int base = jr * kc;
                int cols = Math.min(nr, ncb - jr);
                if (!job.transB) {
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, job.bOff + (pc + p) * ldb + jc + jr, bp, base + p * nr, cols);
                    }
                } else {
                    // 8 k steps (one cache line) at a time; see Gemm.
                    for (int p0 = 0; p0 < kc; p0 += 8) {
                        int p1 = Math.min(kc, p0 + 8);
                        for (int j = 0; j < cols; j++) {
                            int src = job.bOff + (jc + jr + j) * ldb + pc;
                            for (int p = p0; p < p1; p++) {
                                bp[base + p * nr + j] = b[src + p];
                            }
                        }
                    }
                }
                if (cols < nr) {
                    for (int p = 0; p < kc; p++) {
                        Arrays.fill(bp, base + p * nr + cols, base + p * nr + nr, 0);
                    }
                }
            }
        }
    }
}
