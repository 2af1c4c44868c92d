package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;

/** Element-wise activations: ReLU and the logistic sigmoid. */
public abstract class Activation implements Layer {
    private FloatMatrix saved;

    private Activation() {}

    public static Activation relu() {
        return new Activation() {
            @Override
            void forward(float[] x, float[] y, int from, int to) {
                for (int i = from; i < to; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
            }

            @Override
            void backward(float[] x, float[] g, float[] d, int from, int to) {
                // g·[x > 0] without a branch: the sign of x is random, so a branch mispredicts half the time and
                // keeps C2 from vectorising. The mask is all ones exactly when x's bits are a positive int.
                int one = Float.floatToRawIntBits(1f);
                for (int i = from; i < to; i++) {
                    int b = Float.floatToRawIntBits(x[i]);
                    d[i] = g[i] * Float.intBitsToFloat(one & (((-b) & ~b) >> 31));
                }
            }

            @Override
            boolean keepsInput() {
                return true;
            }

            @Override
            int cost() {
                return 1;
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
            void forward(float[] x, float[] y, int from, int to) {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    double e = Math.exp(-Math.abs(v));
                    y[i] = (float) (v >= 0 ? 1 / (1 + e) : e / (1 + e));
                }
            }

            @Override
            void backward(float[] y, float[] g, float[] d, int from, int to) {
                for (int i = from; i < to; i++) {
                    d[i] = g[i] * (y[i] * (1 - y[i]));
                }
            }

            @Override
            boolean keepsInput() {
                return false;
            }

            @Override
            int cost() {
                return 20;
            }

            @Override
            public String kind() {
                return "sigmoid";
            }
        };
    }

    /** {@code relu} or {@code sigmoid}: what exporters need to know. */
    public abstract String kind();

    /** y[from:to] = f(x[from:to]). */
    abstract void forward(float[] x, float[] y, int from, int to);

    /** d = g·f'(x) from the saved input x or, when the input is not kept, the saved output y. */
    abstract void backward(float[] saved, float[] g, float[] d, int from, int to);

    abstract boolean keepsInput();

    /** Rough cost of one element in simple operations, for the thread split. */
    abstract int cost();

    @Override
    public FloatMatrix forward(FloatMatrix x, boolean training) {
        FloatMatrix y = new FloatMatrix(x.rows(), x.cols());
        float[] xd = x.data();
        float[] yd = y.data();
        ComputeThreads.inShares((long) xd.length * cost(), (part, parts) ->
                forward(xd, yd, ComputeThreads.shareBound(xd.length, part, parts),
                        ComputeThreads.shareBound(xd.length, part + 1, parts)));
        saved = keepsInput() ? x : y;
        return y;
    }

    /**
     * ReLU's input gradient is {@code g·[x > 0]}, linear in g with a mask constant between kinks: its adjoint is the
     * same mask on the adjoint. The sigmoid's depends smoothly on x and is refused.
     */
    @Override
    public FloatMatrix backwardOfBackward(FloatMatrix adjoint, FloatMatrix gradOutput) {
        if (!kind().equals("relu")) {
            throw new UnsupportedOperationException("the " + kind() + " activation has no second backward pass here (a "
                    + "penalty on the input gradient needs linear layers and ReLU)");
        }
        return backward(adjoint, Gradients.INPUT);
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
        ComputeThreads.inShares(d.length, (part, parts) ->
                backward(s, gd, d, ComputeThreads.shareBound(d.length, part, parts),
                        ComputeThreads.shareBound(d.length, part + 1, parts)));
        return dx;
    }
}
