package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Maxout (Goodfellow et al., 2013): a linear map to {@code units × pieces} values, then the maximum over each
 * unit's pieces. Pieces of unit u are columns {@code u·pieces … u·pieces + pieces − 1} of the linear output.
 * The backward pass routes each unit's gradient to the piece that won (the first on ties).
 */
public final class Maxout implements Layer {
    private final Linear linear;
    private final int units;
    private final int pieces;
    private int[] winners;
    private int rows;

    public Maxout(int in, int units, int pieces) {
        this(in, units, pieces, Gemm.defaultGemm());
    }

    public Maxout(int in, int units, int pieces, Gemm gemm) {
        if (units < 1 || pieces < 1) {
            throw new IllegalArgumentException("maxout needs positive units and pieces, got " + units + " x " + pieces);
        }
        this.linear = new Linear(in, units * pieces, gemm);
        this.units = units;
        this.pieces = pieces;
    }

    public Maxout initUniform(RandomGenerator rng, float range) {
        linear.initUniform(rng, range);
        return this;
    }

    public Linear linear() {
        return linear;
    }

    public int units() {
        return units;
    }

    public int pieces() {
        return pieces;
    }

    @Override
    public FloatMatrix forward(FloatMatrix x, boolean training) {
        FloatMatrix z = linear.forward(x, training);
        rows = x.rows();
        winners = new int[rows * units];
        FloatMatrix y = new FloatMatrix(rows, units);
        float[] zd = z.data();
        float[] yd = y.data();
        int width = units * pieces;
        for (int i = 0; i < rows; i++) {
            for (int u = 0; u < units; u++) {
                int base = i * width + u * pieces;
                int best = 0;
                float max = zd[base];
                for (int p = 1; p < pieces; p++) {
                    if (zd[base + p] > max) {
                        max = zd[base + p];
                        best = p;
                    }
                }
                yd[i * units + u] = max;
                winners[i * units + u] = best;
            }
        }
        return y;
    }

    @Override
    public FloatMatrix backward(FloatMatrix g, Gradients what) {
        FloatMatrix dz = new FloatMatrix(rows, units * pieces);
        float[] d = dz.data();
        float[] gd = g.data();
        for (int i = 0; i < rows; i++) {
            for (int u = 0; u < units; u++) {
                d[i * units * pieces + u * pieces + winners[i * units + u]] = gd[i * units + u];
            }
        }
        return linear.backward(dz, what);
    }

    @Override
    public List<Parameter> parameters() {
        return linear.parameters();
    }
}
