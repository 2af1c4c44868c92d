package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.core.torch.SafeTensors;
import dev.ganeval.core.torch.Tensor;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsException;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.evaluation.ClipNetwork;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
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
    void graphConsumingEmptiesTheTowersMapAndBuildsTheSameGraphAsGraph() {
        Map<String, Tensor> tower = SafeTensors.read(dir.resolve("tiny.safetensors"), ClipVision.KEYS);
        int keys = tower.size();
        byte[] model = dev.ganeval.core.onnx.OnnxExport.model(ClipVision.graph(tower));
        assertEquals(keys, tower.size(), "graph reads a copy");
        // The image size is read from the position embeddings before they are taken.
        byte[] consumed = dev.ganeval.core.onnx.OnnxExport.model(ClipVision.graphConsuming(tower));
        assertTrue(tower.isEmpty(), "left in the map: " + tower.keySet());
        assertArrayEquals(model, consumed);
    }

    /** The 70 × 90 test image as ganeval holds an 8-bit image: planar RGB in [0, 1]. */
    private static float[] cmmdPixels() {
        NpyArray img = reference.get("cmmd_img");
        int hw = img.shape()[0] * img.shape()[1];
        double[] hwc = img.toDoubles();
        float[] pixels = new float[3 * hw];
        for (int i = 0; i < hw; i++) {
            for (int c = 0; c < 3; c++) {
                pixels[c * hw + i] = (float) hwc[i * 3 + c] / 255f;
            }
        }
        return pixels;
    }

    @Test
    void cmmdsPreprocessingAndTheNetworkFromTorchsFormatEndToEnd(@TempDir Path cache) {
        NpyArray img = reference.get("cmmd_img");
        int h = img.shape()[0];
        int w = img.shape()[1];
        float[] pixels = cmmdPixels();
        assertArrayEquals(reference.get("cmmd_input").toFloats(), InceptionProtocol.CMMD.apply(pixels, 3, h, w, 56), 1e-6f);
        FeatureNetwork net = ClipNetwork.of(dir.resolve("tiny.pth"),
                dev.ganeval.core.weights.WeightsResolver.builder().cacheDir(cache).build());
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

    /** OpenAI's release form of the same tower: TorchScript, OpenAI's names, float16 where convert_weights halves. */
    @Test
    void openAisReleaseFormGivesHuggingFacesTowerWithItsHalvedWeights() {
        Map<String, Tensor> hf = SafeTensors.read(dir.resolve("tiny.safetensors"), ClipVision.KEYS);
        Map<String, Tensor> mapped = ClipVision.fromOpenAi(
                TorchCheckpoint.read(dir.resolve("openai_jit.pt"), ClipVision.OPENAI_KEYS));
        assertEquals(hf.keySet(), mapped.keySet());
        int halvedSeen = 0;
        for (Map.Entry<String, Tensor> e : hf.entrySet()) {
            String k = e.getKey();
            float[] want = e.getValue().toFloats();
            float[] got = mapped.get(k).toFloats();
            assertArrayEquals(e.getValue().shape(), mapped.get(k).shape(), k);
            boolean halved = k.contains("self_attn") || k.contains(".mlp.") || k.contains("patch_embedding")
                    || k.startsWith("visual_projection");
            halvedSeen += halved ? 1 : 0;
            for (int i = 0; i < want.length; i++) {
                // float16 keeps 11 significant bits: rounding moves a value by at most 2^-11 of it, or 2^-25 below 2^-14.
                float bound = halved ? Math.abs(want[i]) * 0x1p-11f + 0x1p-25f : 0f;
                assertEquals(want[i], got[i], bound, k + "[" + i + "]");
            }
        }
        assertEquals(2 + 2 * (4 * 2 + 2 * 2), halvedSeen);
        Map<String, NpyArray> open = Npy.readNpz(dir.resolve("openai_reference.npz"));
        float[] x = DinoV2Test.inputs(3, 2 * 3 * 56 * 56);
        try (OnnxModel m = OnnxModel.load(ClipVision.onnx(mapped), Device.CPU, "clip-openai")) {
            FloatMatrix e = m.run(x, new long[] {2, 3, 56, 56}, ClipVision.EMBEDDING);
            double rel = DinoV2Test.relative(e.data(), open.get("embedding_f64").toDoubles());
            assertTrue(rel < 1e-5, "embedding: " + rel);
        }
    }

    @Test
    void theNetworkReadsOpenAisFileAndWarnsThatItIsNotThePublishedOne(@TempDir Path cache) {
        NpyArray img = reference.get("cmmd_img");
        int h = img.shape()[0];
        int w = img.shape()[1];
        float[] pixels = cmmdPixels();
        ClipNetwork net = ClipNetwork.of(dir.resolve("openai_jit.pt"), WeightsResolver.builder().cacheDir(cache).build());
        try (FeatureNetwork.Session s = net.open(3, h, w, Device.CPU, false)) {
            FloatMatrix e = s.run(new FloatMatrix(1, pixels.length, pixels), true, false).features();
            double[] want = Npy.readNpz(dir.resolve("openai_reference.npz")).get("cmmd_embedding_f64").toDoubles();
            assertTrue(DinoV2Test.relative(e.data(), want) < 1e-5);
            assertTrue(s.warnings().size() == 2 && s.warnings().get(0).contains("not comparable with published ones")
                    && s.warnings().get(0).contains(ClipNetwork.PUBLISHED.sha256())
                    && s.warnings().get(1).contains("gives 32-d features, not the 768 of clip-vitl14-336"),
                    s.warnings().toString());
        }
    }

    @Test
    void withoutAFileTheNetworkTakesOnlyOpenAisPublishedFileFromTheCache(@TempDir Path cache) throws IOException {
        WeightsResolver offline = WeightsResolver.builder().env(Map.of()).cacheDir(cache).offline(true).build();
        ClipNetwork net = ClipNetwork.of(null, offline);
        WeightsException none = assertThrows(WeightsException.class, net::resolveWeights);
        assertTrue(none.getMessage().contains("fetch " + ClipNetwork.PUBLISHED.url() + " by hand")
                && none.getMessage().contains(ClipNetwork.WEIGHTS_VARIABLE), none.getMessage());
        // A file in the cache under the published name but with another hash is not used.
        Files.copy(dir.resolve("openai_jit.pt"), cache.resolve(ClipNetwork.PUBLISHED.name()));
        WeightsException wrong = assertThrows(WeightsException.class, net::resolveWeights);
        assertTrue(wrong.getMessage().contains("not SHA-256 " + ClipNetwork.PUBLISHED.sha256()), wrong.getMessage());
    }
}
