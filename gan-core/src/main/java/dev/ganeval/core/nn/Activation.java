package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

/** Element-wise activations: ReLU and the logistic sigmoid. */
public abstract class Activation implements Layer {
    private FloatMatrix saved;

    private Activation() {}

    public static Activation relu() {
        return new Activation() {
            @Override
            float apply(float x) {
                return x > 0 ? x : 0f;
            }

            @Override
            float derivative(float x, float y) {
                return x > 0 ? 1f : 0f;
            }

            @Override
            boolean keepsInput() {
                return true;
            }

            @Override
            public String kind() {
                return "relu";
            }
        };
    }

    public static Activation sigmoid() {
        return new Activation() {
            @Override
            float apply(float x) {
                return (float) (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
            }

            @Override
            float derivative(float x, float y) {
                return y * (1 - y);
            }

            @Override
            boolean keepsInput() {
                return false;
            }

            @Override
            public String kind() {
                return "sigmoid";
            }
        };
    }

    /** {@code relu} or {@code sigmoid}: what exporters need to know. */
    public abstract String kind();

    abstract float apply(float x);

    /** dy/dx given the input x (when kept) or the output y. */
    abstract float derivative(float x, float y);

    abstract boolean keepsInput();

    @Override
    public FloatMatrix forward(FloatMatrix x, boolean training) {
        FloatMatrix y = new FloatMatrix(x.rows(), x.cols());
        float[] xd = x.data();
        float[] yd = y.data();
        for (int i = 0; i < xd.length; i++) {
            yd[i] = apply(xd[i]);
        }
        saved = keepsInput() ? x : y;
        return y;
    }

    @Override
    public FloatMatrix backward(FloatMatrix g, Gradients what) {
        if (what == Gradients.PARAMETERS) {
            return null;
        }
        FloatMatrix dx = new FloatMatrix(g.rows(), g.cols());
        float[] s = saved.data();
        float[] gd = g.data();
        float[] d = dx.data();
        boolean input = keepsInput();
        for (int i = 0; i < d.length; i++) {
            d[i] = gd[i] * (input ? derivative(s[i], 0f) : derivative(0f, s[i]));
        }
        return dx;
    }
}
