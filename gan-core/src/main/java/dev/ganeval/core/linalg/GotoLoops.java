package dev.ganeval.core.linalg;

/**
 * The Goto/BLIS loop nest and the thread split shared by the float ({@link Gemm}) and double
 * ({@link DoubleGemm}) multiplies. Everything that touches typed arrays — scaling C, packing, the micro-kernel —
 * sits behind {@link Block}, one per thread; the loop structure is written once, here.
 *
 * <p>Loops, outermost first: columns of C in {@code nc} blocks; k in equal blocks of at most {@code kcMax}
 * (B packed once per block, reused from L3); rows of C in {@code mc} blocks (A packed, reused from L2);
 * then {@code nr}-column and {@code mr}-row register tiles.
 */
final class GotoLoops {
    /** Below this many multiply-adds, threading costs more than it gains. */
    static final long PARALLEL_THRESHOLD = 1L << 20;

    /** One thread's share of a product: its buffers and the typed operations on them. */
    interface Block {
        /** C[m0:m1, n0:n1] *= β (β = 0 overwrites, NaN included). */
        void scale(int m0, int m1, int n0, int n1);

        /** Packs α·op(A)[ic:ic+mcb, pc:pc+kc] into {@code mr}-row micro-panels. */
        void packA(int ic, int mcb, int pc, int kc);

        /** Packs op(B)[pc:pc+kc, jc:jc+ncb] into {@code nr}-column micro-panels. */
        void packB(int pc, int kc, int jc, int ncb);

        /**
         * C[row:row+mb, col:col+nb] += (packed A panel at aOff)·(packed B panel at bOff) over kc; mb ≤ mr,
         * nb ≤ nr, a partial tile going through a scratch tile.
         */
        void multiply(int kc, int aOff, int bOff, int row, int col, int mb, int nb);
    }

    /**
     * The shape and blocking of one product. With {@code upper} (m = n), only the upper triangle of C (column ≥ row)
     * is computed: register tiles wholly below the diagonal are skipped, and the {@link Block} writes only the upper
     * part of a tile that straddles it, as BLAS's {@code syrk} with {@code uplo = 'U'} does.
     */
    record Plan(int m, int n, int k, int mr, int nr, int kcMax, int mc, int nc, boolean skipProduct, boolean upper) {
        Plan(int m, int n, int k, int mr, int nr, int kcMax, int mc, int nc, boolean skipProduct) {
            this(m, n, k, mr, nr, kcMax, mc, nc, skipProduct, false);
        }
    }

    private GotoLoops() {}

    /** Runs the product on {@code threads} threads, each on a disjoint block of C with its own {@link Block}. */
    static void run(Plan plan, int threads, java.util.function.Supplier<Block> blocks) {
        int m = plan.m();
        int n = plan.n();
        long work = (long) m * n * Math.max(plan.k(), 1);
        int parts = work < PARALLEL_THRESHOLD ? 1 : threads;
        boolean splitColumns = plan.upper() || n >= (long) parts * plan.nr() * 4 || n >= m;
        int step = splitColumns ? plan.nr() : plan.mr();
        int limit = splitColumns ? n : m;
        int units = (limit + step - 1) / step;
        int p = Math.max(1, Math.min(parts, units));
        int[] bounds = new int[p + 1];
        for (int i = 0; i <= p; i++) {
            // A triangle's first c columns hold c²/2 of its work: equal shares end at n·√(i/p).
            long unit = plan.upper() ? Math.round(units * Math.sqrt((double) i / p)) : (long) units * i / p;
            bounds[i] = (int) Math.min(limit, unit * step);
        }
        Parallel.run(p, i -> {
            Block b = blocks.get();
            if (splitColumns) {
                loops(plan, b, 0, m, bounds[i], bounds[i + 1]);
            } else {
                loops(plan, b, bounds[i], bounds[i + 1], 0, n);
            }
        });
    }

    private static void loops(Plan plan, Block b, int m0, int m1, int n0, int n1) {
        b.scale(m0, m1, n0, n1);
        int k = plan.k();
        if (plan.skipProduct() || k == 0) {
            return;
        }
        int mr = plan.mr();
        int nr = plan.nr();
        // Equal k blocks: 784 = 2 x 392 rather than 512 + 272, so no thin block costs a full pass over C.
        int kcb = ceilDiv(k, ceilDiv(k, plan.kcMax()));
        for (int jc = n0; jc < n1; jc += plan.nc()) {
            int ncb = Math.min(plan.nc(), n1 - jc);
            for (int pc = 0; pc < k; pc += kcb) {
                int kc = Math.min(kcb, k - pc);
                b.packB(pc, kc, jc, ncb);
                // In the upper mode, rows past this block's last column hold nothing to compute.
                int rowEnd = plan.upper() ? Math.min(m1, jc + ncb) : m1;
                for (int ic = m0; ic < rowEnd; ic += plan.mc()) {
                    int mcb = Math.min(plan.mc(), rowEnd - ic);
                    b.packA(ic, mcb, pc, kc);
                    for (int jr = 0; jr < ncb; jr += nr) {
                        int nb = Math.min(nr, ncb - jr);
                        // Tiles whose first row lies below their last column's diagonal entry are skipped.
                        int irEnd = plan.upper() ? Math.min(mcb, jc + jr + nb - ic) : mcb;
                        for (int ir = 0; ir < irEnd; ir += mr) {
                            b.multiply(kc, ir * kc, jr * kc, ic + ir, jc + jr, Math.min(mr, mcb - ir), nb);
                        }
                    }
                }
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Shape checks shared by both precisions. */
    static void checkOperand(String name, int length, int off, int ld, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + " has negative dimensions " + rows + "x" + cols);
        }
        if (off < 0 || ld < cols) {
            throw new IllegalArgumentException(name + ": offset " + off + " and leading dimension " + ld
                    + " do not fit " + cols + " columns");
        }
        if (rows > 0 && cols > 0 && off + (long) (rows - 1) * ld + cols > length) {
            throw new IllegalArgumentException(name + " needs " + (off + (long) (rows - 1) * ld + cols)
                    + " elements for " + rows + "x" + cols + " with leading dimension " + ld + " but the array has " + length);
        }
    }
}
