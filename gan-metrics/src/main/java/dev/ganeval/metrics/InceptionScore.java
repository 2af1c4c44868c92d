package dev.ganeval.metrics;

import dev.ganeval.core.data.Shuffle;
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
public final class InceptionScore implements Metric {
    /** {@code is}: on the network's class logits of the generated side; the real side is not looked at. */
    @Override
    public String name() {
        return "is";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.FAKE_LOGITS);
    }

    @Override
    public InceptionScoreResult compute(MetricInputs inputs) {
        return compute(inputs.fakeLogits());
    }

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
        for (int i = 0; i < probabilities.rows(); i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                float v = p[i * k + j];
                if (!(v >= 0) || Float.isInfinite(v)) {
                    throw new InvalidInputException("probabilities row " + i + " has a negative or non-finite entry " + v
                            + " at column " + j + "; pass logits to compute instead");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
                throw new InvalidInputException("probabilities row " + i + " sums to " + sum
                        + ", not 1; pass logits to compute, or softmax outputs");
            }
        }
        return score(probabilities.rows(), k, (row, out) -> {
            double negEntropy = 0;
            for (int j = 0; j < k; j++) {
                double v = p[row * k + j];
                out[j] = v;
                if (v > 0) {
                    negEntropy += v * Math.log(v);
                }
            }
            return negEntropy;
        });
    }

    /**
     * From logits: a max-shifted softmax in float64. Each row's negative entropy comes from the logits themselves
     * ({@code Σ p log p = Σ e·(z − max)/S − log S} with {@code e = exp(z − max)}, {@code S = Σ e}), so extreme
     * logits cannot produce {@code log 0}.
     */
    public InceptionScoreResult compute(FloatMatrix logits) {
        Checks.samples(logits, "logits", splits);
        int k = logits.cols();
        float[] z = logits.data();
        return score(logits.rows(), k, (row, out) -> {
            int off = row * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[off + j]);
            }
            double sum = 0;
            double weighted = 0;
            for (int j = 0; j < k; j++) {
                double d = (double) z[off + j] - max;
                double e = Math.exp(d);
                out[j] = e;
                sum += e;
                weighted += e * d;
            }
            double inv = 1 / sum;
            for (int j = 0; j < k; j++) {
                out[j] *= inv;
            }
            return weighted * inv - Math.log(sum);
        });
    }

    /** Writes row {@code row}'s class probabilities to {@code out} and returns {@code Σ_j p_j log p_j}. */
    private interface Rows {
        double probabilities(int row, double[] out);
    }

    /**
     * Per split, {@code mean_x KL(p(y|x) ‖ p̄) = H(p̄) − mean_x H(p(y|x))}: one pass over the rows accumulates the
     * marginal and the rows' entropies, with no n × k buffer and no logarithm per entry.
     */
    private InceptionScoreResult score(int n, int k, Rows rows) {
        int[] order = Shuffle.identity(n);
        if (shuffleSeed != null) {
            Shuffle.shuffle(order, new Random(shuffleSeed));
        }
        double[] scores = new double[splits];
        double[] marginal = new double[k];
        double[] p = new double[k];
        for (int s = 0; s < splits; s++) {
            int lo = (int) ((long) s * n / splits);
            int hi = (int) ((long) (s + 1) * n / splits);
            java.util.Arrays.fill(marginal, 0);
            double negEntropy = 0;
            for (int r = lo; r < hi; r++) {
                negEntropy += rows.probabilities(order[r], p);
                for (int j = 0; j < k; j++) {
                    marginal[j] += p[j];
                }
            }
            int count = hi - lo;
            double marginalEntropy = 0;
            for (int j = 0; j < k; j++) {
                double m = marginal[j] / count;
                if (m > 0) {
                    marginalEntropy -= m * Math.log(m);
                }
            }
            // The KL divergence is in [0, log k]; clamp the rounding of the entropy difference into it.
            scores[s] = Math.exp(Math.min(Math.log(k), Math.max(0, marginalEntropy + negEntropy / count)));
        }
        double mean = Moments.mean(scores);
        return new InceptionScoreResult(mean, Moments.std(scores, mean), splits, n, k, scores, shuffleSeed);
    }
}
