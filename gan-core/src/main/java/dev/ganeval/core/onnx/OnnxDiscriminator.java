package dev.ganeval.core.onnx;

import dev.ganeval.core.Discriminator;
import dev.ganeval.core.linalg.FloatMatrix;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Any ONNX model {@code x → p_real} as a {@link Discriminator}: ganeval's own exports ({@link OnnxExport}, output
 * {@code p_real}) or another model's first output, one probability per row.
 */
public final class OnnxDiscriminator implements Discriminator, AutoCloseable {
    private final OnnxModel model;
    private final String output;

    private OnnxDiscriminator(OnnxModel model) {
        this.model = model;
        this.output = model.outputNames().contains("p_real") ? "p_real" : model.outputNames().get(0);
    }

    /**
     * @throws ModelLoadException when the file cannot be loaded on {@code device}
     */
    public static OnnxDiscriminator load(Path file, Device device) {
        return new OnnxDiscriminator(OnnxModel.load(Objects.requireNonNull(file, "file"), device));
    }

    @Override
    public float[] probabilityReal(FloatMatrix samples) {
        return model.run(samples, output).data();
    }

    @Override
    public void close() {
        model.close();
    }
}
