package dev.ganeval.core.linalg;

import java.util.Objects;

/**
 * Max-shifted log-sum-exp in float64: {@code log Σ exp(x_i) = m + log Σ exp(x_i − m)} with
 * {@code m = max x_i}, so terms like −10⁴ (a Parzen kernel at d = 784) neither underflow to {@code log 0}
 * nor overflow.
 */
public final class LogSumExp {
    private LogSumExp() {}

    /**
     * {@code log Σ exp(x[off..off+len))}. Returns −∞ when every term is −∞ (or {@code len} is 0) and +∞ when
     * any term is +∞.
     *
     * @throws IllegalArgumentException if a term is NaN
     */
    public static double logSumExp(double[] x, int off, int len) {
        Objects.requireNonNull(x, "x");
        Objects.checkFromIndexSize(off, len, x.length);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            double v = x[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("log-sum-exp of a NaN term at index " + (i - off));
            }
            if (v > max) {
                max = v;
            }
        }
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += Math.exp(x[i] - max);
        }
        return max + Math.log(s);
    }

    public static double logSumExp(double... x) {
        return logSumExp(x, 0, x.length);
    }

    /** {@code log((1/len) Σ exp(x_i))}, the log-mean-exp a Parzen window estimate needs. */
    public static double logMeanExp(double[] x, int off, int len) {
        if (len == 0) {
            throw new IllegalArgumentException("log-mean-exp of no terms is undefined");
        }
        return logSumExp(x, off, len) - Math.log(len);
    }
}
