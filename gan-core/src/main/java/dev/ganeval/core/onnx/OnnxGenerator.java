package dev.ganeval.core.onnx;

import dev.ganeval.core.Generator;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Any ONNX generator (noise in, samples out) as a {@link Generator}: noise uniform on ±{@code range} with the
 * model's input width. ganeval's own exports use ±√3, the 2014 paper's choice.
 */
public final class OnnxGenerator implements Generator, AutoCloseable {
    private final OnnxModel model;
    private final double range;

    public OnnxGenerator(OnnxModel model, double range) {
        this.model = Objects.requireNonNull(model, "model");
        if (model.inputWidth() < 1) {
            throw new ModelLoadException("the generator's input has no fixed width; cannot draw noise for it", null);
        }
        if (!(range > 0)) {
            throw new IllegalArgumentException("noise range must be positive, got " + range);
        }
        this.range = range;
    }

    @Override
    public FloatMatrix sample(int n, RandomGenerator rng) {
        FloatMatrix z = new FloatMatrix(n, (int) model.inputWidth());
        float[] d = z.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((rng.nextDouble() * 2 - 1) * range);
        }
        return model.run(z);
    }

    @Override
    public void close() {
        model.close();
    }
}
