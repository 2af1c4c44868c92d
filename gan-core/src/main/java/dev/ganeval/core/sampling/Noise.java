package dev.ganeval.core.sampling;

import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The noise a generator takes: standard normal scaled by {@code scale} (the usual choice of DCGAN-style models and
 * torch-fidelity's default), or uniform on ±{@code scale} (the 2014 paper's ±√3, which ganeval's own exports
 * record in their metadata). Written and parsed as {@code normal}, {@code normal:0.5}, {@code uniform},
 * {@code uniform:1.7320508}.
 */
public record Noise(Kind kind, double scale) {
    /** The model metadata key under which ganeval's exports record their noise. */
    public static final String METADATA_KEY = "ganeval.noise";

    public enum Kind { NORMAL, UNIFORM }

    public Noise {
        Objects.requireNonNull(kind, "kind");
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("noise scale must be positive and finite, got " + scale);
        }
    }

    /** N(0, 1). */
    public static Noise normal() {
        return new Noise(Kind.NORMAL, 1);
    }

    /** Uniform on ±{@code halfWidth}. */
    public static Noise uniform(double halfWidth) {
        return new Noise(Kind.UNIFORM, halfWidth);
    }

    /**
     * Parses {@code normal[:std]} or {@code uniform[:halfWidth]} (default 1).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Noise parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        double scale = 1;
        try {
            if (colon >= 0) {
                scale = Double.parseDouble(t.substring(colon + 1));
            }
            return switch (name) {
                case "normal" -> new Noise(Kind.NORMAL, scale);
                case "uniform" -> new Noise(Kind.UNIFORM, scale);
                default -> throw new IllegalArgumentException("unknown noise '" + text + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("noise must be normal[:std] or uniform[:half-width], e.g. uniform:1.7320508; got '"
                    + text + "'");
        }
    }

    /** Fills {@code z} with draws from {@code rng}. */
    public void fill(float[] z, RandomGenerator rng) {
        if (kind == Kind.NORMAL) {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (rng.nextGaussian() * scale);
            }
        } else {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
            }
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ":" + scale;
    }
}
