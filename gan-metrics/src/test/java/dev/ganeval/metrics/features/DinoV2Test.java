package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.core.torch.Tensor;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.metrics.evaluation.DinoV2Network;
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

/**
 * DINOv2's graph, its position-embedding interpolation and dgm-eval's preprocessing against PyTorch and Pillow, on the
 * small backbones of the published architecture that testdata/make_dinov2_references.py wrote.
 */
class DinoV2Test {
    private static Path dir;
    private static Map<String, NpyArray> reference;
    private static Map<String, NpyArray> dgm;

    @BeforeAll
    static void load() {
        dir = FeatureExtractionTest.reference("").resolveSibling("dinov2");
        reference = Npy.readNpz(dir.resolve("reference.npz"));
        dgm = Npy.readNpz(dir.resolve("dgm_eval.npz"));
    }

    /** The script's inputs: 24 bits of splitmix64 per value, scaled to [−2, 2). */
    static float[] inputs(long seed, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            long u = InceptionV3Test.splitmix64((seed << 40) + i) >>> 40;
            x[i] = (float) ((u / (double) (1 << 23) - 1) * 2);
        }
        return x;
    }

    /** Largest |got − expected| over the largest |expected|. */
    static double relative(float[] got, double[] expected) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(got[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }

    @Test
    void regeneratedInputsAreTheScriptsBitForBit() {
        assertArrayEquals(reference.get("head_square").toFloats(), Arrays.copyOf(inputs(1, 2 * 3 * 224 * 224), 8));
        assertArrayEquals(reference.get("head_nonsquare").toFloats(), Arrays.copyOf(inputs(2, 3 * 224 * 168), 8));
    }

    @Test
    void torchsBicubicWithScaleFactorsMatches() {
        NpyArray in = reference.get("interp_in");
        double[] out = TorchBicubic.resize(in.toDoubles(), 2, 5, 7, 1.7, 0.55);
        assertArrayEquals(new int[] {2, 8, 3}, reference.get("interp_out").shape());
        assertArrayEquals(reference.get("interp_out").toDoubles(), out, 1e-12);
    }

    @Test
    void positionEmbeddingsAreResizedAsDinoV2DoesForSquareAndOtherGrids() {
        Tensor pos = TorchCheckpoint.read(dir.resolve("tiny_mlp.pth")).get("pos_embed");
        double[] all = pos.toDoubles();
        double[] patches = Arrays.copyOfRange(all, 128, all.length);
        assertArrayEquals(reference.get("pos_square_f64").toDoubles(), DinoV2.interpolatePositions(patches, 37, 128, 16, 16), 1e-12);
        assertArrayEquals(reference.get("pos_nonsquare_f64").toDoubles(), DinoV2.interpolatePositions(patches, 37, 128, 16, 12),
                1e-12);
        assertArrayEquals(patches, DinoV2.interpolatePositions(patches, 37, 128, 37, 37), "the trained grid is used as it is");
    }

    @Test
    void classTokensMatchTorchForBothFeedForwardKindsAndANonSquareInput() {
        for (String kind : new String[] {"mlp", "swiglu"}) {
            Map<String, Tensor> sd = TorchCheckpoint.read(dir.resolve("tiny_" + kind + ".pth"));
            for (String shape : new String[] {"square", "nonsquare"}) {
                int n = shape.equals("square") ? 2 : 1;
                int w = shape.equals("square") ? 224 : 168;
                byte[] model = DinoV2.onnx(sd, 224, w);
                try (OnnxModel m = OnnxModel.load(model, Device.CPU, "dinov2 " + kind)) {
                    FloatMatrix y = m.run(inputs(shape.equals("square") ? 1 : 2, n * 3 * 224 * w), new long[] {n, 3, 224, w},
                            DinoV2.FEATURES);
                    double[] expected = reference.get(kind + "_" + shape + "_f64").toDoubles();
                    assertEquals(expected.length, y.rows() * y.cols());
                    double rel = relative(y.data(), expected);
                    assertTrue(rel < 1e-5, kind + " " + shape + ": " + rel);
                }
            }
        }
    }

    @Test
    void pillowsEightBitBicubicResizeIsMatchedToTheBit() {
        for (int i = 0; i < 4; i++) {
            NpyArray img = dgm.get("img" + i);
            int h = img.shape()[0];
            int w = img.shape()[1];
            float[] planar = planar(img.toDoubles(), h, w);
            float[] got = PilBicubicResize.resize8bit(planar, 3, h, w, 224, 224);
            assertArrayEquals(planar(dgm.get("res" + i).toDoubles(), 224, 224), got, h + "x" + w);
        }
    }

    @Test
    void dgmEvalsPreprocessingAndTheNetworkEndToEndFromTheCache(@TempDir Path cache) throws java.io.IOException {
        NpyArray img = dgm.get("img1");
        int h = img.shape()[0];
        int w = img.shape()[1];
        float[] pixels = planar(img.toDoubles(), h, w);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 255f;  // as ganeval holds an 8-bit image
        }
        float[] prepared = InceptionProtocol.DGM_EVAL.apply(pixels, 3, h, w, 224);
        assertArrayEquals(dgm.get("dgm_input").toFloats(), prepared, 1e-6f);
        // Found in the cache under the published name, offline, as a first use's download leaves it; Meta publishes no
        // hash, so the file's own SHA-256 prefix goes into the tag.
        dev.ganeval.core.weights.WeightsFile published = DinoV2Network.publishedFile("dinov2-vitl14");
        assertEquals("dinov2_vitl14_pretrain.pth", published.name());
        java.nio.file.Files.copy(dir.resolve("tiny_mlp.pth"), cache.resolve(published.name()));
        DinoV2Network net = DinoV2Network.of("dinov2-vitl14", null, dev.ganeval.core.weights.WeightsResolver.builder()
                .env(Map.of()).cacheDir(cache).offline(true).build());
        String sha = net.resolveWeights().sha256();
        try (FeatureNetwork.Session s = net.open(3, h, w, Device.CPU, false)) {
            FloatMatrix features = s.run(new FloatMatrix(1, pixels.length, pixels), true, false).features();
            assertTrue(relative(features.data(), dgm.get("mlp_dgm_f64").toDoubles()) < 1e-5);
            assertTrue(s.featureTag().contains("dinov2-vitl14-" + sha.substring(0, 8))
                    && s.protocol().equals("dgm-eval-bicubic-224"), s.featureTag() + " " + s.protocol());
            // No hash to differ from; but the tiny fixture is not ViT-L/14's size, which the session says.
            assertTrue(s.warnings().size() == 1 && s.warnings().get(0).contains("gives 128-d features, not the 1024 of "
                    + "dinov2-vitl14"), s.warnings().toString());
        }
    }

    @Test
    void graphConsumingTakesEachTensorOutOfItsMapWhileGraphAndOnnxLeaveTheirsWhole() {
        Map<String, Tensor> sd = TorchCheckpoint.read(dir.resolve("tiny_swiglu.pth"));
        int keys = sd.size();
        byte[] model = DinoV2.onnx(sd, 224, 168);
        assertArrayEquals(model, dev.ganeval.core.onnx.OnnxExport.model(DinoV2.graph(sd, 224, 168)));
        assertEquals(keys, sd.size(), "onnx and graph read a copy");
        // The qkv and w12 weights are read in row blocks from one take, so nothing is taken twice.
        byte[] consumed = dev.ganeval.core.onnx.OnnxExport.model(DinoV2.graphConsuming(sd, 224, 168));
        assertTrue(sd.isEmpty(), "left in the map: " + sd.keySet());
        assertArrayEquals(model, consumed);
        Map<String, Tensor> unmodifiable = Map.copyOf(TorchCheckpoint.read(dir.resolve("tiny_swiglu.pth")));
        assertArrayEquals(model, dev.ganeval.core.onnx.OnnxExport.model(DinoV2.graphConsuming(unmodifiable, 224, 168)));
        assertEquals(keys, unmodifiable.size());
    }

    @Test
    void aStateDictThatIsNotDinoV2sIsRefusedByKey() {
        Map<String, Tensor> sd = new LinkedHashMap<>(TorchCheckpoint.read(dir.resolve("tiny_swiglu.pth")));
        Map<String, Tensor> missing = new LinkedHashMap<>(sd);
        missing.remove("blocks.0.ls2.gamma");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> DinoV2.onnx(missing, 224, 224));
        assertTrue(e.getMessage().contains("missing 'blocks.0.ls2.gamma'"), e.getMessage());
        Map<String, Tensor> extra = new LinkedHashMap<>(sd);
        extra.put("head.weight", Tensor.ofFloats(new int[] {2}, new float[2]));
        e = assertThrows(InvalidInputException.class, () -> DinoV2.onnx(extra, 224, 224));
        assertTrue(e.getMessage().contains("unexpected key 'head.weight'"), e.getMessage());
        Map<String, Tensor> narrow = new LinkedHashMap<>(sd);
        narrow.put("patch_embed.proj.weight", Tensor.ofFloats(new int[] {48, 3, 14, 14}, new float[48 * 3 * 14 * 14]));
        e = assertThrows(InvalidInputException.class, () -> DinoV2.onnx(narrow, 224, 224));
        assertTrue(e.getMessage().contains("a multiple of 64"), e.getMessage());
    }

    /** H × W × 3 interleaved values to 3 × H × W planes. */
    private static float[] planar(double[] hwc, int h, int w) {
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    out[c * h * w + y * w + x] = (float) hwc[(y * w + x) * 3 + c];
                }
            }
        }
        return out;
    }
}
