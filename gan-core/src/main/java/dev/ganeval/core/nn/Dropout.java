package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout: in training each input is kept with probability {@code keep} and scaled by {@code 1/keep}
 * (so evaluation needs no rescaling), the mask drawn from the given generator; at evaluation it is the identity.
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
        float scale = 1f / keep;
        float[] xd = x.data();
        mask = new float[xd.length];
        FloatMatrix y = new FloatMatrix(x.rows(), x.cols());
        float[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            mask[i] = rng.nextFloat() < keep ? scale : 0f;
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
