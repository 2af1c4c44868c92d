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
 * <p>The scatter kernel costs {@code d(d+1)·rows} FLOP (only the upper triangle is formed) and is split
 * over threads by disjoint column blocks; the result does not depend on the thread count. Not thread-safe.
 */
public final class CovarianceAccumulator {
    private static final int CHUNK_ROWS = 512;
    private static final int TILE = 4;

    private final int dim;
    private final int threads;
    private long count;
    private final double[] mean;
    /** Full symmetric {@code dim × dim} scatter matrix, row-major. */
    private final double[] scatter;

    /** An empty accumulator for {@code dim}-dimensional rows using every available processor. */
    public CovarianceAccumulator(int dim) {
        this(dim, Runtime.getRuntime().availableProcessors());
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
        this.threads = threads;
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

    /** A copy of the scatter matrix {@code Σ (x−μ)(x−μ)ᵀ}, row-major. */
    public double[] scatter() {
        return scatter.clone();
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
        double[] cov = scatter.clone();
        double inv = 1.0 / (count - 1);
        for (int i = 0; i < cov.length; i++) {
            cov[i] *= inv;
        }
        return cov;
    }

    /** Adds every row of {@code batch}. */
    public void add(FloatMatrix batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.cols() != dim) {
            throw new IllegalArgumentException("batch has " + batch.cols() + " columns, the accumulator " + dim);
        }
        int rows = batch.rows();
        float[] x = batch.data();
        double[] centredT = new double[dim * Math.min(CHUNK_ROWS, Math.max(rows, 1))];
        double[] chunkMean = new double[dim];
        double[] chunkScatter = new double[dim * dim];
        for (int r0 = 0; r0 < rows; r0 += CHUNK_ROWS) {
            int nb = Math.min(CHUNK_ROWS, rows - r0);
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
            // Centred chunk stored column-major (dim × nb) so the scatter kernel reads unit stride.
            for (int r = 0; r < nb; r++) {
                int off = (r0 + r) * dim;
                for (int j = 0; j < dim; j++) {
                    centredT[j * nb + r] = x[off + j] - chunkMean[j];
                }
            }
            upperScatter(centredT, nb, chunkScatter);
            merge(nb, chunkMean, chunkScatter);
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

    /** Chan's pairwise update; reads only the upper triangle of {@code scatterB}. */
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
            for (int j = i; j < dim; j++) {
                scatter[row + j] += scatterB[row + j] + di * delta[j];
            }
        }
        // Mirror the upper triangle: the merged matrix stays exactly symmetric.
        for (int i = 0; i < dim; i++) {
            for (int j = i + 1; j < dim; j++) {
                scatter[j * dim + i] = scatter[i * dim + j];
            }
        }
        double f = (double) nb / n;
        for (int j = 0; j < dim; j++) {
            mean[j] += delta[j] * f;
        }
        count = n;
    }

    /**
     * Writes the upper triangle (i ≤ j) of {@code Xᵀ X} for a column-major {@code dim × nb} centred chunk
     * into {@code out}. 4×4 tiles of output, each a set of 16 running dot products over the chunk's rows.
     */
    private void upperScatter(double[] xt, int nb, double[] out) {
        int tiles = (dim + TILE - 1) / TILE;
        int parts = (long) dim * dim * nb < (1L << 20) ? 1 : Math.min(threads, tiles);
        // Column tile jt costs about jt+1 tiles of work; split so each part gets an equal triangle area.
        int[] bounds = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            bounds[p] = (int) Math.round(tiles * Math.sqrt((double) p / parts));
        }
        Parallel.run(parts, p -> {
            for (int jt = bounds[p]; jt < bounds[p + 1]; jt++) {
                for (int it = 0; it <= jt; it++) {
                    scatterTile(xt, nb, it * TILE, jt * TILE, out);
                }
            }
        });
    }

    private void scatterTile(double[] xt, int nb, int i0, int j0, double[] out) {
        int ni = Math.min(TILE, dim - i0);
        int nj = Math.min(TILE, dim - j0);
        if (ni == TILE && nj == TILE) {
            int a0 = i0 * nb, a1 = a0 + nb, a2 = a1 + nb, a3 = a2 + nb;
            int b0 = j0 * nb, b1 = b0 + nb, b2 = b1 + nb, b3 = b2 + nb;
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
            double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
            for (int r = 0; r < nb; r++) {
                double x0 = xt[a0 + r], x1 = xt[a1 + r], x2 = xt[a2 + r], x3 = xt[a3 + r];
                double y0 = xt[b0 + r], y1 = xt[b1 + r], y2 = xt[b2 + r], y3 = xt[b3 + r];
                s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
                s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
                s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
                s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
            }
            int o = i0 * dim + j0;
            out[o] = s00; out[o + 1] = s01; out[o + 2] = s02; out[o + 3] = s03;
            o += dim;
            out[o] = s10; out[o + 1] = s11; out[o + 2] = s12; out[o + 3] = s13;
            o += dim;
            out[o] = s20; out[o + 1] = s21; out[o + 2] = s22; out[o + 3] = s23;
            o += dim;
            out[o] = s30; out[o + 1] = s31; out[o + 2] = s32; out[o + 3] = s33;
            return;
        }
        for (int i = i0; i < i0 + ni; i++) {
            for (int j = j0; j < j0 + nj; j++) {
                double s = 0;
                int a = i * nb;
                int b = j * nb;
                for (int r = 0; r < nb; r++) {
                    s += xt[a + r] * xt[b + r];
                }
                out[i * dim + j] = s;
            }
        }
    }
}
