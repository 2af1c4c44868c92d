package dev.ganeval.core.linalg;

import java.util.Arrays;
import java.util.Objects;

/**
 * Streams rows into a running mean and scatter matrix, all in float64, so that the mean and covariance
 * of 100k × 2048 features never need the features in memory at once.
 *
 * <p>Each batch is processed in chunks: the chunk's mean is computed first and the chunk is centred on it
 * in float64 (two-pass within the chunk), its scatter {@code Σ (x−μ)(x−μ)ᵀ} is formed from the centred
 * values, and the chunk is merged into the running totals with Chan et al.'s pairwise update
 * {@code M = Ma + Mb + δδᵀ·na·nb/n}. The textbook one-pass {@code Σxxᵀ − nμμᵀ} is never used: in float32
 * it loses every digit when the mean is large against the spread. Two accumulators merge exactly the same
 * way, so shards computed apart can be combined.
 *
 * <p>The scatter of each chunk is one float64 rank-k update of the upper triangle ({@link DoubleGemm#syrkUpper},
 * {@code d²·rows} FLOP); the result does not depend on the thread count. Not thread-safe.
 */
public final class CovarianceAccumulator {
    /** Chunks hold at most this many values (32 MiB of doubles). */
    private static final int CHUNK_VALUES = 1 << 22;

    private final int dim;
    private final DoubleGemm gemm;
    private long count;
    private final double[] mean;
    /** The scatter matrix, row-major; only its upper triangle (j ≥ i) is kept up to date. */
    private final double[] scatter;

    /** An empty accumulator for {@code dim}-dimensional rows using {@link ComputeThreads#get()} threads. */
    public CovarianceAccumulator(int dim) {
        this(dim, ComputeThreads.get());
    }

    private CovarianceAccumulator(int dim, DoubleGemm gemm) {
        this.dim = dim;
        this.gemm = gemm;
        this.mean = new double[dim];
        this.scatter = new double[dim * dim];
    }

    public CovarianceAccumulator(int dim, int threads) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, got " + dim);
        }
        if ((long) dim * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dimension " + dim + " is too large for a dense covariance");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.dim = dim;
        this.gemm = DoubleGemm.create(Gemm.Kernel.AUTO, threads);
        this.mean = new double[dim];
        this.scatter = new double[dim * dim];
    }

    /**
     * An accumulator holding given sufficient statistics, e.g. read back from a file.
     *
     * @param scatter the {@code dim × dim} scatter matrix {@code Σ (x−μ)(x−μ)ᵀ}, row-major; copied
     */
    public static CovarianceAccumulator of(long count, double[] mean, double[] scatter) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(scatter, "scatter");
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, got " + count);
        }
        CovarianceAccumulator acc = new CovarianceAccumulator(mean.length);
        if (scatter.length != mean.length * mean.length) {
            throw new IllegalArgumentException("scatter has " + scatter.length + " elements, expected "
                    + mean.length + "x" + mean.length);
        }
        acc.count = count;
        System.arraycopy(mean, 0, acc.mean, 0, mean.length);
        System.arraycopy(scatter, 0, acc.scatter, 0, scatter.length);
        return acc;
    }

    public int dim() {
        return dim;
    }

    public long count() {
        return count;
    }

    /** A copy of the running mean. */
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the scatter matrix {@code Σ (x−μ)(x−μ)ᵀ}, row-major, exactly symmetric. */
    public double[] scatter() {
        return symmetricCopy(1.0);
    }

    /**
     * The unbiased covariance (divisor {@code n − 1}, as numpy's {@code np.cov} and pytorch-fid use), row-major.
     *
     * @throws IllegalStateException with fewer than two rows
     */
    public double[] covariance() {
        if (count < 2) {
            throw new IllegalStateException("a covariance needs at least 2 rows, got " + count);
        }
        return symmetricCopy(1.0 / (count - 1));
    }

    /** The lower triangle is filled in tiles of this many rows and columns, so its column reads stay in cache. */
    private static final int TILE = 64;

    /**
     * {@code f ×} the kept upper triangle as a new, exactly symmetric matrix: the upper triangle row by row, then the
     * lower one copied from it tile by tile. Copying first and mirroring element by element down 16 KiB strides, as
     * this did before, took a quarter of the time of the statistics of 1,500 rows at d = 2,048 (26 of 101 ms; this
     * way 10 ms).
     */
    private double[] symmetricCopy(double f) {
        double[] out = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            int row = i * dim;
            for (int j = i; j < dim; j++) {
                out[row + j] = scatter[row + j] * f;
            }
        }
        for (int j0 = 0; j0 < dim; j0 += TILE) {
            int j1 = Math.min(dim, j0 + TILE);
            for (int i0 = 0; i0 < j1; i0 += TILE) {
                int i1 = Math.min(j1, i0 + TILE);
                for (int j = j0; j < j1; j++) {
                    int row = j * dim;
                    int end = Math.min(i1, j);
                    for (int i = i0; i < end; i++) {
                        out[row + i] = out[i * dim + j];
                    }
                }
            }
        }
        return out;
    }

    /**
     * Rows per chunk for this dimension: {@link #add} centres and merges its rows this many at a time, so rows added in
     * whole chunks give the same bits however they were batched.
     */
    public int chunkRows() {
        return Math.max(64, Math.min(4096, CHUNK_VALUES / dim));
    }

    /** A copy holding the same rows so far. */
    public CovarianceAccumulator copy() {
        CovarianceAccumulator c = new CovarianceAccumulator(dim, gemm);
        c.count = count;
        System.arraycopy(mean, 0, c.mean, 0, dim);
        System.arraycopy(scatter, 0, c.scatter, 0, scatter.length);
        return c;
    }

    /** Adds every row of {@code batch}. */
    public void add(FloatMatrix batch) {
        Objects.requireNonNull(batch, "batch");
        add(batch, 0, batch.rows());
    }

    /** Adds rows {@code from} (inclusive) to {@code to} (exclusive) of {@code batch}, in chunks counted from {@code from}. */
    public void add(FloatMatrix batch, int from, int to) {
        Objects.requireNonNull(batch, "batch");
        if (batch.cols() != dim) {
            throw new IllegalArgumentException("batch has " + batch.cols() + " columns, the accumulator " + dim);
        }
        Objects.checkFromToIndex(from, to, batch.rows());
        int rows = to;
        float[] x = batch.data();
        int chunkRows = chunkRows();
        double[] centred = new double[dim * Math.min(chunkRows, Math.max(to - from, 1))];
        double[] chunkMean = new double[dim];
        for (int r0 = from; r0 < rows; r0 += chunkRows) {
            int nb = Math.min(chunkRows, rows - r0);
            Arrays.fill(chunkMean, 0.0);
            for (int r = r0; r < r0 + nb; r++) {
                int off = r * dim;
                for (int j = 0; j < dim; j++) {
                    chunkMean[j] += x[off + j];
                }
            }
            for (int j = 0; j < dim; j++) {
                chunkMean[j] /= nb;
            }
            for (int r = 0; r < nb; r++) {
                int off = (r0 + r) * dim;
                for (int j = 0; j < dim; j++) {
                    centred[r * dim + j] = x[off + j] - chunkMean[j];
                }
            }
            // Chan's merge with the chunk's scatter Xcᵀ·Xc added straight into the running one (β = 1: no second d×d
            // array to fill and read back), upper triangle only since only that is kept (half the multiply-adds);
            // then the δδᵀ term.
            gemm.syrkUpper(dim, nb, 1, centred, 0, dim, 1, scatter, 0, dim);
            merge(nb, chunkMean, null);
        }
    }

    /** Folds another accumulator's rows into this one, exactly as if they had been added here. */
    public void merge(CovarianceAccumulator other) {
        Objects.requireNonNull(other, "other");
        if (other.dim != dim) {
            throw new IllegalArgumentException("cannot merge a " + other.dim + "-dimensional accumulator into a "
                    + dim + "-dimensional one");
        }
        merge(other.count, other.mean, other.scatter);
    }

    /**
     * Chan's pairwise update; reads only the upper triangle of {@code scatterB}, or takes it as already added to
     * this scatter when it is null.
     */
    private void merge(long nb, double[] meanB, double[] scatterB) {
        if (nb == 0) {
            return;
        }
        long na = count;
        long n = na + nb;
        double w = (double) na * nb / n;
        double[] delta = new double[dim];
        for (int j = 0; j < dim; j++) {
            delta[j] = meanB[j] - mean[j];
        }
        for (int i = 0; i < dim; i++) {
            int row = i * dim;
            double di = delta[i] * w;
            if (scatterB == null) {
                for (int j = i; j < dim; j++) {
                    scatter[row + j] += di * delta[j];
                }
            } else {
                for (int j = i; j < dim; j++) {
                    scatter[row + j] += scatterB[row + j] + di * delta[j];
                }
            }
        }
        double f = (double) nb / n;
        for (int j = 0; j < dim; j++) {
            mean[j] += delta[j] * f;
        }
        count = n;
    }

}
