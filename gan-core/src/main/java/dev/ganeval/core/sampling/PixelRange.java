package dev.ganeval.core.sampling;

import java.util.Objects;

/**
 * The range a generator's outputs live in, mapped linearly onto [0, 1] for scoring: {@code 0,1} for a sigmoid
 * output (ganeval's own generator), {@code -1,1} for tanh (DCGAN and most image GANs), {@code 0,255} for bytes.
 */
public record PixelRange(double low, double high) {
    /** The model metadata key under which ganeval's exports record their range. */
    public static final String METADATA_KEY = "ganeval.pixel_range";
    public static final PixelRange UNIT = new PixelRange(0, 1);
    public static final PixelRange SYMMETRIC = new PixelRange(-1, 1);

    public PixelRange {
        if (!(high > low) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("a pixel range needs finite low < high, got " + low + "," + high);
        }
    }

    /**
     * Parses {@code low,high}, e.g. {@code -1,1}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static PixelRange parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split(",");
        try {
            if (parts.length == 2) {
                return new PixelRange(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("a pixel range is 'low,high' with low < high, e.g. -1,1 or 0,1; got '" + text + "'");
    }

    @Override
    public String toString() {
        return fmt(low) + "," + fmt(high);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
