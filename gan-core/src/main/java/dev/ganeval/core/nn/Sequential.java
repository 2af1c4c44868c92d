package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final List<Layer> layers;

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

    /** Inner layers always pass their input gradient on; only the first layer skips it for PARAMETERS. */
    @Override
    public FloatMatrix backward(FloatMatrix g, Gradients what) {
        Gradients inner = what == Gradients.PARAMETERS ? Gradients.ALL : what;
        FloatMatrix d = g;
        for (int i = layers.size() - 1; i >= 0; i--) {
            d = layers.get(i).backward(d, i == 0 ? what : inner);
        }
        return d;
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
