package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    /** The gradient each layer was given by the latest INPUT backward pass; null after any other. */
    private FloatMatrix[] gradientsGiven;

    public Sequential(Layer... layers) {
        this.layers = List.of(layers);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public FloatMatrix forward(FloatMatrix x, boolean training) {
        FloatMatrix h = x;
        for (Layer l : layers) {
            h = l.forward(h, training);
        }
        return h;
    }

    /**
     * Inner layers always pass their input gradient on; only the first layer skips it for PARAMETERS. An INPUT pass
     * keeps the gradient each layer was given, for {@link #backwardOfBackward}.
     */
    @Override
    public FloatMatrix backward(FloatMatrix g, Gradients what) {
        Gradients inner = what == Gradients.PARAMETERS ? Gradients.ALL : what;
        FloatMatrix[] given = what == Gradients.INPUT ? new FloatMatrix[layers.size()] : null;
        FloatMatrix d = g;
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (given != null) {
                given[i] = d;
            }
            d = layers.get(i).backward(d, i == 0 ? what : inner);
        }
        gradientsGiven = given;
        return d;
    }

    /** The layers' second passes in forward order, each given the gradient the latest INPUT pass gave it. */
    @Override
    public FloatMatrix backwardOfBackward(FloatMatrix adjoint, FloatMatrix gradOutput) {
        if (gradientsGiven == null || gradientsGiven[layers.size() - 1] != gradOutput) {
            throw new IllegalStateException("backwardOfBackward follows backward(gradOutput, INPUT) with the same gradient");
        }
        FloatMatrix r = adjoint;
        for (int i = 0; i < layers.size(); i++) {
            r = layers.get(i).backwardOfBackward(r, gradientsGiven[i]);
        }
        return r;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Layer l : layers) {
            all.addAll(l.parameters());
        }
        return all;
    }
}
