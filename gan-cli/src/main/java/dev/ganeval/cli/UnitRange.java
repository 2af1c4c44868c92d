package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

/** Pixels must be in [0, 1] where they meet MNIST's or a sigmoid's: a value outside is named, not scored. */
final class UnitRange {
    private UnitRange() {}

    /**
     * @param what   the source, for the message
     * @param reason why [0, 1] is needed, ending in the fix
     * @throws InvalidInputException naming the first value outside [0, 1] (NaN included), its row and column
     */
    static void require(FloatMatrix x, String what, String reason) {
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0f && d[i] <= 1f)) {
                throw new InvalidInputException(what + ": value " + d[i] + " at row " + i / x.cols() + ", column " + i % x.cols()
                        + " is outside [0, 1]; " + reason);
            }
        }
    }
}
