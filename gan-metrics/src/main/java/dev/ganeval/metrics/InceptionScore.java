package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Random;

/**
 * The Inception Score of Salimans et al. (2016) from a classifier's outputs on generated samples: rows are
 * split into consecutive parts ({@code [i·n/splits, (i+1)·n/splits)}, improved-gan's boundaries), and each
 * part scores {@code exp(mean_x KL(p(y|x) ‖ p̄(y)))} with {@code p̄} the part's mean prediction; the result is
 * the mean and the ddof-0 standard deviation over parts. It lies between 1 and the number of classes.
 *
 * <p>Computed in float64; {@code 0·log 0} is taken as 0 (improved-gan's numpy code would give NaN for an exact
 * zero probability, which softmax outputs never contain). Rows may be shuffled first with a seed.
 */
public final class InceptionScore {
    /** Allowed deviation of a probability row's sum from 1. */
    public static final double ROW_SUM_TOLERANCE = 1e-3;

    private final int splits;
    private final Long shuffleSeed;

    private InceptionScore(int splits, Long shuffleSeed) {
        this.splits = splits;
        this.shuffleSeed = shuffleSeed;
    }

    /** improved-gan's protocol: 10 splits, in order. */
    public static InceptionScore create() {
        return new InceptionScore(10, null);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int splits = 10;
        private Long shuffleSeed;

        public Builder splits(int splits) {
            this.splits = Checks.positive(splits, "splits");
            return this;
        }

        /** Shuffle rows with this seed before splitting (default: split in the given order). */
        public Builder shuffle(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        public InceptionScore build() {
            return new InceptionScore(splits, shuffleSeed);
        }
    }

    /**
     * From class probabilities (rows non-negative, summing to 1 within {@link #ROW_SUM_TOLERANCE}).
     *
     * @throws InvalidInputException for a negative or non-finite entry, a row that does not sum to 1, or fewer
     *     rows than splits
     */
    public InceptionScoreResult fromProbabilities(FloatMatrix probabilities) {
        Checks.samples(probabilities, "probabilities", splits);
        int k = probabilities.cols();
        float[] p = probabilities.data();
        double[] rows = new double[p.length];
        for (int i = 0; i < probabilities.rows(); i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                float v = p[i * k + j];
                if (v < 0) {
                    throw new InvalidInputException("probabilities row " + i + " has a negative entry " + v
                            + " at column " + j + "; pass logits to fromLogits instead");
                }
                sum += v;
                rows[i * k + j] = v;
            }
            if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
                throw new InvalidInputException("probabilities row " + i + " sums to " + sum
                        + ", not 1; pass logits to fromLogits, or softmax outputs");
            }
        }
        return score(rows, probabilities.rows(), k);
    }

    /** From logits: a max-shifted softmax in float64, then the score. */
    public InceptionScoreResult fromLogits(FloatMatrix logits) {
        Checks.samples(logits, "logits", splits);
        int n = logits.rows();
        int k = logits.cols();
        float[] z = logits.data();
        double[] rows = new double[n * k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(z[i * k + j] - max);
                rows[i * k + j] = e;
                sum += e;
            }
            for (int j = 0; j < k; j++) {
                rows[i * k + j] /= sum;
            }
        }
        return score(rows, n, k);
    }

    private InceptionScoreResult score(double[] p, int n, int k) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffleSeed != null) {
            Random rnd = new Random(shuffleSeed);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        double[] scores = new double[splits];
        double[] marginal = new double[k];
        for (int s = 0; s < splits; s++) {
            int lo = (int) ((long) s * n / splits);
            int hi = (int) ((long) (s + 1) * n / splits);
            java.util.Arrays.fill(marginal, 0);
            for (int r = lo; r < hi; r++) {
                int off = order[r] * k;
                for (int j = 0; j < k; j++) {
                    marginal[j] += p[off + j];
                }
            }
            for (int j = 0; j < k; j++) {
                marginal[j] /= (hi - lo);
            }
            double kl = 0;
            for (int r = lo; r < hi; r++) {
                int off = order[r] * k;
                for (int j = 0; j < k; j++) {
                    double v = p[off + j];
                    if (v > 0) {
                        kl += v * (Math.log(v) - Math.log(marginal[j]));
                    }
                }
            }
            scores[s] = Math.exp(kl / (hi - lo));
        }
        double mean = Moments.mean(scores);
        return new InceptionScoreResult(mean, Moments.std(scores, mean), splits, n, k, scores, shuffleSeed);
    }
}
