package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Objects;

/** Argument validation shared by the metrics: every failure names the argument and the fix. */
final class Checks {
    private Checks() {}

    /** Non-null, at least {@code minRows} rows, every value finite. */
    static FloatMatrix samples(FloatMatrix x, String name, int minRows) {
        Objects.requireNonNull(x, name);
        if (x.rows() < minRows) {
            throw new InvalidInputException(name + " has " + x.rows() + (x.rows() == 1 ? " row" : " rows") + "; at least " + minRows + " are needed");
        }
        if (x.cols() < 1) {
            throw new InvalidInputException(name + " has no columns");
        }
        int bad = x.firstNonFinite();
        if (bad >= 0) {
            throw new InvalidInputException(name + " has a non-finite value (" + x.data()[bad] + ") at row "
                    + bad / x.cols() + ", column " + bad % x.cols());
        }
        return x;
    }

    static void sameDim(FloatMatrix a, String aName, FloatMatrix b, String bName) {
        if (a.cols() != b.cols()) {
            throw new InvalidInputException(aName + " has " + a.cols() + " dimensions but " + bName + " has " + b.cols()
                    + "; both must come from the same feature extractor");
        }
    }

    static void finite(double[] x, String name) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new InvalidInputException(name + " has a non-finite value (" + x[i] + ") at index " + i);
            }
        }
    }

    static int positive(int v, String name) {
        if (v < 1) {
            throw new InvalidInputException(name + " must be at least 1, got " + v);
        }
        return v;
    }

    /** {@code v} when finite and ≥ 0; else a refusal naming {@code name}, with {@code note} after the rule. */
    static double nonNegative(double v, String name, String note) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidInputException(name + " must be finite and non-negative" + note + ", got " + v);
        }
        return v;
    }
}
