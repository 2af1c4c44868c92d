package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.Gemm.Transpose;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code y = x·W + b}, with W of shape {@code in × out}. Forward and both backward products run on the blocked
 * GEMM: {@code 2·n·in·out} FLOP each.
 */
public final class Linear implements Layer {
    private final Parameter weight;
    private final Parameter bias;
    private final Gemm gemm;
    private FloatMatrix input;

    public Linear(int in, int out) {
        this(in, out, Gemm.defaultGemm());
    }

    public Linear(int in, int out, Gemm gemm) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("a linear layer needs positive sizes, got " + in + " -> " + out);
        }
        this.weight = new Parameter("weight", new FloatMatrix(in, out));
        this.bias = new Parameter("bias", new FloatMatrix(1, out));
        this.gemm = gemm;
    }

    /** Weights uniform in [−range, range]; the bias stays as it is. */
    public Linear initUniform(RandomGenerator rng, float range) {
        float[] w = weight.value().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * range);
        }
        return this;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int in() {
        return weight.value().rows();
    }

    public int out() {
        return weight.value().cols();
    }

    @Override
    public FloatMatrix forward(FloatMatrix x, boolean training) {
        if (x.cols() != in()) {
            throw new IllegalArgumentException("input has " + x.cols() + " columns, the layer expects " + in());
        }
        input = x;
        int n = x.rows();
        int out = out();
        FloatMatrix y = new FloatMatrix(n, out);
        float[] b = bias.value().data();
        float[] yd = y.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(b, 0, yd, i * out, out);
        }
        gemm.multiply(Transpose.NONE, Transpose.NONE, 1f, x, weight.value(), 1f, y);
        return y;
    }

    @Override
    public FloatMatrix backward(FloatMatrix g, Gradients what) {
        if (what != Gradients.INPUT) {
            gemm.multiply(Transpose.TRANSPOSE, Transpose.NONE, 1f, input, g, 1f, weight.grad());
            float[] db = bias.grad().data();
            float[] gd = g.data();
            int out = out();
            for (int i = 0; i < g.rows(); i++) {
                for (int j = 0; j < out; j++) {
                    db[j] += gd[i * out + j];
                }
            }
        }
        return what == Gradients.PARAMETERS ? null : gemm.multiply(Transpose.NONE, g, Transpose.TRANSPOSE, weight.value());
    }

    /**
     * The input gradient is {@code gx = g·Wᵀ}: so ∂P/∂W += adjointᵀ·g and ∂P/∂g = adjoint·W (the forward product
     * without the bias); the bias does not enter gx.
     */
    @Override
    public FloatMatrix backwardOfBackward(FloatMatrix adjoint, FloatMatrix gradOutput) {
        if (adjoint.cols() != in() || gradOutput.cols() != out() || adjoint.rows() != gradOutput.rows()) {
            throw new IllegalArgumentException("adjoint " + adjoint.rows() + "x" + adjoint.cols() + " and gradient "
                    + gradOutput.rows() + "x" + gradOutput.cols() + " do not fit a " + in() + " -> " + out() + " layer");
        }
        gemm.multiply(Transpose.TRANSPOSE, Transpose.NONE, 1f, adjoint, gradOutput, 1f, weight.grad());
        return gemm.multiply(Transpose.NONE, adjoint, Transpose.NONE, weight.value());
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }
}
