package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout: in training each input is kept with probability {@code keep} and scaled by {@code 1/keep}
 * (so evaluation needs no rescaling); at evaluation it is the identity. An input is kept when the top 24 bits
 * of the generator's {@code nextInt()} fall below {@code keep·2²⁴}, which is {@code nextFloat() < keep} for
 * {@link RandomGenerator}'s own {@code nextFloat()}.
 */
public final class Dropout implements Layer {
    private final float keep;
    private final RandomGenerator rng;
    private float[] mask;

    public Dropout(float keep, RandomGenerator rng) {
        if (!(keep > 0 && keep <= 1)) {
            throw new IllegalArgumentException("keep probability must be in (0, 1], got " + keep);
        }
        this.keep = keep;
        this.rng = Objects.requireNonNull(rng, "rng");
    }

    @Override
    public FloatMatrix forward(FloatMatrix x, boolean training) {
        if (!training || keep == 1f) {
            mask = null;
            return x;
        }
        float[] xd = x.data();
        mask = new float[xd.length];
        FloatMatrix y = new FloatMatrix(x.rows(), x.cols());
        float[] yd = y.data();
        // Kept when nextFloat() < keep, i.e. when the top 24 bits of nextInt() (RandomGenerator's nextFloat) are
        // below keep·2²⁴. Tested as a sign mask rather than a branch, which would mispredict at every other draw.
        int threshold = (int) Math.ceil(keep * 0x1.0p24f);
        int scale = Float.floatToRawIntBits(1f / keep);
        for (int i = 0; i < xd.length; i++) {
            mask[i] = Float.intBitsToFloat(scale & (((rng.nextInt() >>> 8) - threshold) >> 31));
            yd[i] = xd[i] * mask[i];
        }
        return y;
    }

    @Override
    public FloatMatrix backward(FloatMatrix g, Gradients what) {
        if (what == Gradients.PARAMETERS) {
            return null;
        }
        if (mask == null) {
            return g;
        }
        FloatMatrix dx = new FloatMatrix(g.rows(), g.cols());
        float[] gd = g.data();
        float[] d = dx.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = gd[i] * mask[i];
        }
        return dx;
    }
}
