package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Sequential;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.ModelLoadException;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureExtractionTest {
    @TempDir
    Path tmp;

    static Path reference(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata/reference"))) {
            dir = dir.getParent();
        }
        return dir.resolve("testdata/reference").resolve(name);
    }

    @Test
    void bilinearResizeMatchesTorchInterpolate() {
        Map<String, NpyArray> z = Npy.readNpz(reference("resize.npz"));
        for (int i = 0; z.containsKey("x" + i); i++) {
            int[] s = z.get("shape" + i).toInts();
            float[] got = BilinearResize.resize(z.get("x" + i).toFloats(), s[0], s[1], s[2], s[3], s[4]);
            float[] want = z.get("y" + i).toFloats();
            assertEquals(want.length, got.length);
            for (int k = 0; k < want.length; k++) {
                assertEquals(want[k], got[k], 2e-6, "case " + i + " value " + k);
            }
        }
    }

    @Test
    void onnxExtractorAppliesPytorchFidPreprocessingThenTheNetwork() throws IOException {
        int size = 8;
        Linear lin = new Linear(3 * size * size, 5).initUniform(new SplittableRandom(1), 0.1f);
        Path model = tmp.resolve("tiny.onnx");
        OnnxExport.write(OnnxExport.export(new Sequential(lin), "x", 3 * size * size, "features", 5, false, "tiny"), model);
        Random rnd = new Random(2);
        FloatMatrix images = new FloatMatrix(7, 28 * 28);
        for (int i = 0; i < images.data().length; i++) {
            images.data()[i] = rnd.nextFloat();
        }
        try (OnnxFeatureExtractor fx = new OnnxFeatureExtractor(model, "features", 1, 28, 28, size, Device.CPU, 3)) {
            assertEquals(5, fx.dim());
            assertTrue(fx.tag().startsWith("onnx:tiny.onnx@sha256:") && fx.tag().endsWith("/features/pytorch-fid-bilinear-8"), fx.tag());
            FloatMatrix got = fx.extract(images);
            // The same pipeline by hand: resize, replicate gray to RGB, 2x - 1, then the Java forward pass.
            FloatMatrix prepared = new FloatMatrix(7, 3 * size * size);
            for (int i = 0; i < 7; i++) {
                float[] r = BilinearResize.resize(images.row(i), 1, 28, 28, size, size);
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < size * size; p++) {
                        prepared.set(i, c * size * size + p, 2 * r[p] - 1);
                    }
                }
            }
            FloatMatrix want = lin.forward(prepared, false);
            for (int k = 0; k < want.data().length; k++) {
                assertEquals(want.data()[k], got.data()[k], 1e-5);
            }
            assertThrows(InvalidInputException.class, () -> fx.extract(new FloatMatrix(2, 100)));
            // Pixels in [-1, 1] or NaN would pass through 2x - 1 into a plausible feature vector: refused by place.
            FloatMatrix signed = images.copy();
            signed.set(4, 300, -0.5f);
            assertTrue(assertThrows(InvalidInputException.class, () -> fx.extract(signed)).getMessage()
                    .contains("value -0.5 at row 4, column 300 is outside [0, 1]"));
            FloatMatrix nan = images.copy();
            nan.set(6, 0, Float.NaN);
            assertTrue(assertThrows(InvalidInputException.class, () -> fx.extract(nan)).getMessage()
                    .contains("value NaN at row 6, column 0 is not a number"));
        }
        assertTrue(assertThrows(ModelLoadException.class,
                () -> new OnnxFeatureExtractor(model, "pool3", 1, 28, 28, size, Device.CPU, 3)).getMessage().contains("no output named 'pool3'"));
        assertThrows(ModelLoadException.class, () -> new OnnxFeatureExtractor(model, "features", 1, 28, 28, 9, Device.CPU, 3));
    }
}
