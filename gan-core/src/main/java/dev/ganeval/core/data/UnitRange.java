package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

/**
 * Pixels must be in [0, 1] where they meet MNIST's, a sigmoid's or a feature network's preprocessing: a value
 * outside (NaN included) is named, not scored, since it would give a plausible-looking wrong number.
 */
public final class UnitRange {
    private UnitRange() {}

    /**
     * @param what   the source, for the message
     * @param reason why [0, 1] is needed, ending in the fix
     * @throws InvalidInputException naming the first value outside [0, 1] (NaN included), its row and column
     */
    public static void require(FloatMatrix x, String what, String reason) {
        require(x, 0, what, reason);
    }

    /** As {@link #require(FloatMatrix, String, String)} for a batch whose first row is row {@code firstRow} of the source. */
    public static void require(FloatMatrix x, long firstRow, String what, String reason) {
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0f && d[i] <= 1f)) {
                throw new InvalidInputException(what + ": value " + d[i] + " at row " + (firstRow + i / x.cols()) + ", column "
                        + i % x.cols() + (Float.isNaN(d[i]) ? " is not a number" : " is outside [0, 1]") + "; " + reason);
            }
        }
    }
}
