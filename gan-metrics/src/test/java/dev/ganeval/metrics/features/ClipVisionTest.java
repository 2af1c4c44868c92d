package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.core.torch.SafeTensors;
import dev.ganeval.core.torch.Tensor;
import dev.ganeval.metrics.evaluation.ClipNetwork;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLIP's image tower and CMMD's preprocessing against torch and Pillow (testdata/make_clip_references.py). */
class ClipVisionTest {
    private static Path dir;
    private static Map<String, NpyArray> reference;

    @BeforeAll
    static void load() {
        dir = FeatureExtractionTest.reference("").resolveSibling("clip");
        reference = Npy.readNpz(dir.resolve("reference.npz"));
    }

    @Test
    void normalisedEmbeddingsMatchTorchFromSafetensors() {
        float[] x = DinoV2Test.inputs(3, 2 * 3 * 56 * 56);
        assertArrayEquals(reference.get("head").toFloats(), Arrays.copyOf(x, 8));
        Map<String, Tensor> tower = SafeTensors.read(dir.resolve("tiny.safetensors"), ClipVision.KEYS);
        assertEquals(56, ClipVision.imageSize(tower));
        try (OnnxModel m = OnnxModel.load(ClipVision.onnx(tower), Device.CPU, "clip")) {
            FloatMatrix e = m.run(x, new long[] {2, 3, 56, 56}, ClipVision.EMBEDDING);
            double rel = DinoV2Test.relative(e.data(), reference.get("embedding_f64").toDoubles());
            assertTrue(rel < 1e-5, "embedding: " + rel);
            FloatMatrix raw = m.run(x, new long[] {2, 3, 56, 56}, ClipVision.IMAGE_EMBEDS);
            assertTrue(DinoV2Test.relative(raw.data(), reference.get("image_embeds_f64").toDoubles()) < 1e-5);
        }
    }

    @Test
    void cmmdsPreprocessingAndTheNetworkFromTorchsFormatEndToEnd(@TempDir Path cache) {
        NpyArray img = reference.get("cmmd_img");
        int h = img.shape()[0];
        int w = img.shape()[1];
        double[] hwc = img.toDoubles();
        float[] pixels = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[c * h * w + y * w + x] = (float) hwc[(y * w + x) * 3 + c] / 255f;
                }
            }
        }
        assertArrayEquals(reference.get("cmmd_input").toFloats(), InceptionProtocol.CMMD.apply(pixels, 3, h, w, 56), 1e-6f);
        FeatureNetwork net = ClipNetwork.of(dir.resolve("tiny.pth"), cache);
        try (FeatureNetwork.Session s = net.open(3, h, w, Device.CPU, false)) {
            FloatMatrix e = s.run(new FloatMatrix(1, pixels.length, pixels), true, false).features();
            assertTrue(DinoV2Test.relative(e.data(), reference.get("cmmd_embedding_f64").toDoubles()) < 1e-5);
            assertTrue(s.protocol().equals("cmmd-bicubic-56") && s.featureTag().contains("clip-vitl14-336"),
                    s.protocol() + " " + s.featureTag());
        }
    }

    @Test
    void aTowerWithAMissingOrForeignKeyIsRefusedByName() {
        Map<String, Tensor> tower = new LinkedHashMap<>(SafeTensors.read(dir.resolve("tiny.safetensors"), ClipVision.KEYS));
        Map<String, Tensor> missing = new LinkedHashMap<>(tower);
        missing.remove("vision_model.encoder.layers.1.mlp.fc2.bias");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ClipVision.onnx(missing));
        assertTrue(e.getMessage().contains("missing 'vision_model.encoder.layers.1.mlp.fc2.bias'"), e.getMessage());
        Map<String, Tensor> extra = new LinkedHashMap<>(tower);
        extra.put("vision_model.head.weight", Tensor.ofFloats(new int[] {1}, new float[1]));
        e = assertThrows(InvalidInputException.class, () -> ClipVision.onnx(extra));
        assertTrue(e.getMessage().contains("unexpected key 'vision_model.head.weight'"), e.getMessage());
    }
}
