package dev.ganeval.core.linalg;

import dev.ganeval.core.Progress;

import java.util.Objects;

/**
 * Squared Euclidean distances between the rows of two sample matrices, through the fast GEMM:
 * {@code ‖q_i − r_j‖² = ‖q_i‖² + ‖r_j‖² − 2·q_i·r_j}, norms in float64, the dot products in float32,
 * the result clamped at 0 (cancellation can push a tiny distance below it).
 *
 * <p>The full {@code |Q| × |R|} matrix is never held: rows of Q are processed in blocks and each block of
 * distances is handed to a {@link BlockConsumer}, so memory is {@code blockRows × |R|} floats whatever the
 * sizes. Costs {@code 2·|Q|·|R|·d} FLOP.
 */
public final class SquaredDistances {
    /** Receives one block of distances: rows {@code [rowStart, rowStart + rows)} of Q against all of R. */
    @FunctionalInterface
    public interface BlockConsumer {
        /**
         * @param distances row-major {@code rows × |R|} squared distances; valid only during the call
         */
        void accept(int rowStart, int rows, float[] distances);
    }

    /**
     * Receives the distances from one query row to every reference row. Called from several threads at once,
     * each row exactly once; implementations write only to per-row outputs.
     */
    @FunctionalInterface
    public interface RowConsumer {
        /**
         * @param row       the query row's index in Q
         * @param distances holds the row's {@code |R|} squared distances from {@code offset}; valid only during the call
         */
        void accept(int row, float[] distances, int offset);
    }

    /** For each query row, the index of the nearest reference row and the squared distance to it. */
    public record Nearest(int[] index, float[] squaredDistance) {}

    private SquaredDistances() {}

    /** A block height that keeps one block of distances near 64 MiB. */
    public static int defaultBlockRows(int referenceRows) {
        return (int) Math.max(1, Math.min(4096, (16L << 20) / Math.max(1, referenceRows)));
    }

    /**
     * Streams the distance matrix block by block.
     *
     * @throws IllegalArgumentException if the two matrices have different column counts
     */
    public static void forEachBlock(Gemm gemm, FloatMatrix q, FloatMatrix r, int blockRows, BlockConsumer consumer) {
        Objects.requireNonNull(gemm, "gemm");
        Objects.requireNonNull(q, "q");
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(consumer, "consumer");
        if (q.cols() != r.cols()) {
            throw new IllegalArgumentException("query rows have " + q.cols() + " dimensions but reference rows have " + r.cols());
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be at least 1, got " + blockRows);
        }
        int n = r.rows();
        int d = q.cols();
        double[] qn = RowOps.squaredNorms(q);
        double[] rn = RowOps.squaredNorms(r);
        int height = Math.min(blockRows, Math.max(1, q.rows()));
        float[] block = new float[height * n];
        for (int i0 = 0; i0 < q.rows(); i0 += height) {
            int rows = Math.min(height, q.rows() - i0);
            gemm.gemm(Gemm.Transpose.NONE, Gemm.Transpose.TRANSPOSE, rows, n, d, -2f,
                    q.data(), i0 * d, Math.max(d, 1), r.data(), 0, Math.max(d, 1), 0f, block, 0, Math.max(n, 1));
            int start = i0;
            int parts = Math.min(gemm.threads(), rows);
            Parallel.run(parts, p -> {
                int lo = (int) ((long) rows * p / parts);
                int hi = (int) ((long) rows * (p + 1) / parts);
                for (int i = lo; i < hi; i++) {
                    double qi = qn[start + i];
                    int off = i * n;
                    for (int j = 0; j < n; j++) {
                        double v = qi + rn[j] + block[off + j];
                        block[off + j] = v > 0 ? (float) v : 0f;
                    }
                }
            });
            consumer.accept(i0, rows, block);
        }
    }

    /**
     * Streams the distance matrix row by row, the rows of each block shared among {@code gemm.threads()} threads.
     */
    public static void forEachRow(Gemm gemm, FloatMatrix q, FloatMatrix r, RowConsumer consumer) {
        forEachRow(gemm, q, r, consumer, Progress.NONE);
    }

    /** {@link #forEachRow(Gemm, FloatMatrix, FloatMatrix, RowConsumer)}, reporting the query rows done after each block. */
    public static void forEachRow(Gemm gemm, FloatMatrix q, FloatMatrix r, RowConsumer consumer, Progress progress) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(progress, "progress");
        int n = r.rows();
        int threads = gemm.threads();
        forEachBlock(gemm, q, r, defaultBlockRows(n), (start, rows, block) -> {
            int parts = Math.min(threads, rows);
            Parallel.run(parts, p -> {
                int lo = (int) ((long) rows * p / parts);
                int hi = (int) ((long) rows * (p + 1) / parts);
                for (int i = lo; i < hi; i++) {
                    consumer.accept(start + i, block, i * n);
                }
            });
            progress.update(start + rows, q.rows());
        });
    }

    /**
     * The nearest reference row for every query row (ties go to the lower index).
     *
     * @throws IllegalArgumentException if R is empty or the widths differ
     */
    public static Nearest nearest(Gemm gemm, FloatMatrix q, FloatMatrix r) {
        return nearest(gemm, q, r, Progress.NONE);
    }

    /** {@link #nearest(Gemm, FloatMatrix, FloatMatrix)}, reporting the query rows done after each block. */
    public static Nearest nearest(Gemm gemm, FloatMatrix q, FloatMatrix r, Progress progress) {
        if (r.rows() == 0) {
            throw new IllegalArgumentException("the reference set is empty: no nearest neighbour exists");
        }
        int[] index = new int[q.rows()];
        float[] dist = new float[q.rows()];
        int n = r.rows();
        forEachRow(gemm, q, r, (row, block, off) -> {
            int best = 0;
            float bestD = block[off];
            for (int j = 1; j < n; j++) {
                if (block[off + j] < bestD) {
                    bestD = block[off + j];
                    best = j;
                }
            }
            index[row] = best;
            dist[row] = bestD;
        }, progress);
        return new Nearest(index, dist);
    }
}
