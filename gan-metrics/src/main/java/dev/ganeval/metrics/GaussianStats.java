package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.CovarianceAccumulator;
import dev.ganeval.core.linalg.FloatMatrix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The sufficient statistics of a feature set for FID: the row count, the mean and the unbiased
 * ({@code n − 1}) covariance, all float64, exactly what pytorch-fid computes with {@code np.mean} and
 * {@code np.cov(rowvar=False)}. Immutable.
 *
 * <p>Build one from a matrix ({@link #of(FloatMatrix)}), by streaming batches ({@link #accumulator(int)}),
 * or from pytorch-fid's {@code .npz} ({@link #readNpz(Path)}). Statistics of disjoint shards
 * {@linkplain #merge(GaussianStats) merge} exactly.
 */
public final class GaussianStats {
    /** Count used for statistics read from a file that does not record one (pytorch-fid's files). */
    public static final long UNKNOWN_COUNT = -1;

    private final long count;
    private final double[] mean;
    private final double[] covariance;

    private GaussianStats(long count, double[] mean, double[] covariance) {
        this.count = count;
        this.mean = mean;
        this.covariance = covariance;
    }

    /**
     * Statistics from given values (copied).
     *
     * @param count the number of rows they came from, or {@link #UNKNOWN_COUNT}
     * @throws InvalidInputException if the shapes disagree, a value is not finite, or the matrix cannot be a covariance:
     *     a negative variance, an asymmetry, or a covariance larger than its variances allow
     *     ({@code |Σij| ≤ √(Σii·Σjj)}), each beyond what float32 storage and rounding explain
     */
    public static GaussianStats of(long count, double[] mean, double[] covariance) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(covariance, "covariance");
        int d = mean.length;
        if (d < 1) {
            throw new InvalidInputException("the mean has no dimensions");
        }
        if (covariance.length != (long) d * d) {
            throw new InvalidInputException("the covariance has " + covariance.length + " values but a " + d
                    + "-dimensional mean needs " + d + "x" + d);
        }
        Checks.finite(mean, "mean");
        Checks.finite(covariance, "covariance");
        if (count != UNKNOWN_COUNT && count < 2) {
            throw new InvalidInputException("a covariance needs at least 2 rows, the statistics claim " + count);
        }
        requireCovariance(covariance, d);
        return new GaussianStats(count, mean.clone(), covariance.clone());
    }

    /**
     * The necessary conditions for a covariance that cost O(d²): a mistaken array (the wrong array saved as sigma, a
     * correlation matrix with a typo) otherwise gives an FID that the eigenvalue clamp can only warn about. The
     * tolerances are loose (1e-4 relative, plus 1e-9 of the largest variance) so that no covariance computed in
     * float64 and stored as float32 is refused; positive semi-definiteness itself is checked by the FID's eigenvalues.
     */
    private static void requireCovariance(double[] c, int d) {
        double[] sd = new double[d];
        double maxVariance = 0;
        for (int i = 0; i < d; i++) {
            double v = c[i * d + i];
            if (v < 0) {
                throw new InvalidInputException(String.format(java.util.Locale.ROOT,
                        "the covariance has a negative variance %.6g at index %d; it is not a covariance matrix", v, i));
            }
            sd[i] = Math.sqrt(v);
            maxVariance = Math.max(maxVariance, v);
        }
        double slack = 1e-9 * maxVariance;
        // In 64 x 64 tiles: the transposed entries are read down columns, a cache miss each when walked row by row.
        final int tile = 64;
        for (int i0 = 0; i0 < d; i0 += tile) {
            for (int j0 = i0; j0 < d; j0 += tile) {
                for (int i = i0; i < Math.min(d, i0 + tile); i++) {
                    for (int j = Math.max(j0, i + 1); j < Math.min(d, j0 + tile); j++) {
                        double a = c[i * d + j];
                        double b = c[j * d + i];
                        double bound = sd[i] * sd[j];
                        if (Math.abs(a - b) > 1e-4 * Math.max(bound, Math.max(Math.abs(a), Math.abs(b))) + slack) {
                            throw new InvalidInputException(String.format(java.util.Locale.ROOT,
                                    "the covariance is not symmetric: [%d, %d] = %.6g but [%d, %d] = %.6g", i, j, a, j, i, b));
                        }
                        if (Math.abs(a) > bound * (1 + 1e-4) + slack) {
                            throw new InvalidInputException(String.format(java.util.Locale.ROOT,
                                    "the covariance [%d, %d] = %.6g exceeds what the variances %.6g and %.6g allow (|cov| <= "
                                            + "sqrt(var_i * var_j)); it is not a covariance matrix", i, j, a, sd[i] * sd[i],
                                    sd[j] * sd[j]));
                        }
                    }
                }
            }
        }
    }

    /**
     * The statistics of the rows of {@code features}.
     *
     * @throws InvalidInputException with fewer than 2 rows or a non-finite value
     */
    public static GaussianStats of(FloatMatrix features) {
        Checks.samples(features, "features", 2);
        CovarianceAccumulator acc = new CovarianceAccumulator(features.cols());
        acc.add(features);
        return new GaussianStats(acc.count(), acc.mean(), acc.covariance());
    }

    /** A streaming builder for {@code dim}-dimensional features. */
    public static Accumulator accumulator(int dim) {
        return new Accumulator(dim);
    }

    /**
     * Adds batches of feature rows; {@link #build()} can be called at any point. Rows are held back until they fill one
     * of the accumulator's chunks ({@link CovarianceAccumulator#chunkRows()}, at most 4 Mi values), so the statistics
     * have the same bits however the rows were batched — those of {@link GaussianStats#of(FloatMatrix)} on all of them.
     * Not thread-safe.
     */
    public static final class Accumulator {
        private final CovarianceAccumulator acc;
        private final float[] pending;
        private final int chunkRows;
        private int pendingRows;

        private Accumulator(int dim) {
            Checks.positive(dim, "dimension");
            this.acc = new CovarianceAccumulator(dim);
            this.chunkRows = acc.chunkRows();
            this.pending = new float[chunkRows * dim];
        }

        public Accumulator add(FloatMatrix batch) {
            Objects.requireNonNull(batch, "batch");
            if (batch.rows() == 0) {
                return this;
            }
            Checks.samples(batch, "batch", 1);
            int d = acc.dim();
            if (batch.cols() != d) {
                throw new InvalidInputException("batch has " + batch.cols() + " dimensions, earlier batches had " + d);
            }
            int from = 0;
            int n = batch.rows();
            while (from < n) {
                if (pendingRows == 0 && n - from >= chunkRows) {
                    // Whole chunks straight from the batch, no copy.
                    int whole = (n - from) / chunkRows * chunkRows;
                    acc.add(batch, from, from + whole);
                    from += whole;
                    continue;
                }
                int take = Math.min(chunkRows - pendingRows, n - from);
                System.arraycopy(batch.data(), from * d, pending, pendingRows * d, take * d);
                pendingRows += take;
                from += take;
                if (pendingRows == chunkRows) {
                    acc.add(new FloatMatrix(chunkRows, d, pending), 0, chunkRows);
                    pendingRows = 0;
                }
            }
            return this;
        }

        public long count() {
            return acc.count() + pendingRows;
        }

        /**
         * @throws InvalidInputException with fewer than 2 rows so far
         */
        public GaussianStats build() {
            if (count() < 2) {
                throw new InvalidInputException("a covariance needs at least 2 feature rows, got " + count());
            }
            CovarianceAccumulator all = acc;
            if (pendingRows > 0) {
                all = acc.copy();
                all.add(new FloatMatrix(pendingRows, acc.dim(), java.util.Arrays.copyOf(pending, pendingRows * acc.dim())));
            }
            return new GaussianStats(all.count(), all.mean(), all.covariance());
        }
    }

    /**
     * The statistics of the union of the two row sets, exact (Chan et al.'s pairwise merge).
     *
     * @throws InvalidInputException if either count is unknown or the dimensions differ
     */
    public GaussianStats merge(GaussianStats other) {
        Objects.requireNonNull(other, "other");
        if (count == UNKNOWN_COUNT || other.count == UNKNOWN_COUNT) {
            throw new InvalidInputException("statistics without a row count (e.g. from a pytorch-fid .npz) cannot be merged");
        }
        if (other.dim() != dim()) {
            throw new InvalidInputException("cannot merge " + other.dim() + "-dimensional statistics into " + dim() + "-dimensional ones");
        }
        CovarianceAccumulator a = CovarianceAccumulator.of(count, mean, scaled(covariance, count - 1));
        a.merge(CovarianceAccumulator.of(other.count, other.mean, scaled(other.covariance, other.count - 1)));
        return new GaussianStats(a.count(), a.mean(), a.covariance());
    }

    private static double[] scaled(double[] x, double f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * f;
        }
        return y;
    }

    /**
     * Reads pytorch-fid's statistics file: an {@code .npz} with {@code mu} (d) and {@code sigma} (d × d), and
     * {@code n} when ganeval wrote it.
     */
    public static GaussianStats readNpz(Path file) {
        Map<String, NpyArray> z = Npy.readNpz(file);
        NpyArray mu = z.get("mu");
        NpyArray sigma = z.get("sigma");
        if (mu == null || sigma == null) {
            throw new InvalidInputException(file, "an FID statistics file needs arrays 'mu' and 'sigma'; found " + z.keySet());
        }
        int[] ms = mu.shape();
        int[] ss = sigma.shape();
        if (ms.length != 1 || ss.length != 2 || ss[0] != ms[0] || ss[1] != ms[0]) {
            throw new InvalidInputException(file, "'mu' must have shape (d,) and 'sigma' (d, d); found "
                    + java.util.Arrays.toString(ms) + " and " + java.util.Arrays.toString(ss));
        }
        long n = UNKNOWN_COUNT;
        NpyArray na = z.get("n");
        if (na != null && na.size() == 1) {
            n = na.toInts()[0];
        }
        try {
            return of(n, mu.toDoubles(), sigma.toDoubles());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file, e.reason(), e);
        }
    }

    /** Writes {@code mu}, {@code sigma} (float64, as pytorch-fid's {@code --save-stats}) and {@code n}. */
    public void writeNpz(Path file) throws IOException {
        Map<String, NpyArray> z = new LinkedHashMap<>();
        z.put("mu", NpyArray.ofDoubles(mean, mean.length));
        z.put("sigma", NpyArray.ofDoubles(covariance, mean.length, mean.length));
        if (count != UNKNOWN_COUNT) {
            z.put("n", NpyArray.ofLongs(new long[] {count}));
        }
        Npy.writeNpz(file, z, false);
    }

    /** Rows the statistics came from, or {@link #UNKNOWN_COUNT}. */
    public long count() {
        return count;
    }

    public int dim() {
        return mean.length;
    }

    /** A copy of the mean. */
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the covariance, row-major {@code d × d}. */
    public double[] covariance() {
        return covariance.clone();
    }

    double[] meanView() {
        return mean;
    }

    double[] covarianceView() {
        return covariance;
    }

    @Override
    public String toString() {
        return "GaussianStats[n=" + (count == UNKNOWN_COUNT ? "?" : count) + ", d=" + dim() + "]";
    }
}
