package dev.ganeval.core.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The reference GAN's generator trained on MNIST by ganeval itself and shipped in the jar (from
 * {@code testdata/reference-gan}: float16 weights, about 5 MB), so demos and tests can score a real generator
 * without training one. {@link #description()} says how it was trained and what it scored.
 */
public final class ShippedGenerator {
    private static final String DIR = "reference-gan/";

    private ShippedGenerator() {}

    /** The MNIST generator: uniform noise on ±√3 in, 28 × 28 images in [0, 1] out (from its ONNX metadata). */
    public static OnnxGenerator mnist(Device device) {
        return new OnnxGenerator(OnnxModel.load(bytes("generator.onnx"), device, "reference-gan/generator.onnx"), null, null);
    }

    /** How it was made: {@code epochs}, {@code seed}, {@code command}, {@code parzen} and the like. */
    public static Properties description() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes("generator.properties"), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new ModelLoadException("reference-gan/generator.properties is unreadable: " + e.getMessage(), e);
        }
        return p;
    }

    private static byte[] bytes(String name) {
        try (InputStream in = ShippedGenerator.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new ModelLoadException("the shipped " + DIR + name + " is missing from the class path (build with Maven, "
                        + "which copies testdata/reference-gan into gan-core's jar)", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the shipped " + DIR + name + ": " + e.getMessage(), e);
        }
    }
}
