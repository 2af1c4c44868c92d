package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.core.torch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FID Inception-v3 graph against PyTorch, on the narrow (every width / 16) network with seeded random weights and
 * batch norms that testdata/make_inception_reference.py wrote, and the published topology's widths at full size.
 */
class InceptionV3Test {
    /** Every width of the committed fixture is the published one divided by this (make_inception_reference.py). */
    private static final int DIVISOR = 16;

    private static final int BATCH = 4;
    private static Map<String, Tensor> narrow;
    private static Map<String, NpyArray> reference;

    @BeforeAll
    static void load() {
        Path dir = FeatureExtractionTest.reference("").resolveSibling("inception");
        narrow = stateDict(Npy.readNpz(dir.resolve("fid_inception_w16.npz")));
        reference = Npy.readNpz(dir.resolve("fid_inception_w16_reference.npz"));
    }

    static Map<String, Tensor> stateDict(Map<String, NpyArray> arrays) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        arrays.forEach((k, a) -> {
            if (a.dtype() == NpyArray.DType.INT64) {
                double[] d = a.toDoubles();
                long[] v = new long[d.length];
                for (int i = 0; i < d.length; i++) {
                    v[i] = (long) d[i];
                }
                sd.put(k, Tensor.ofLongs(a.shape(), v));
            } else {
                sd.put(k, Tensor.ofFloats(a.shape(), a.toFloats()));
            }
        });
        return sd;
    }

    /** The script's images: 16×16 blocks plus per-pixel noise from splitmix64, in [−1, 1), bit for bit. */
    static float[] images(long seed, int n) {
        int size = InceptionV3.IMAGE_SIZE;
        int blocks = 19;
        float[] x = new float[n * 3 * size * size];
        long base = seed << 40;
        int i = 0;
        for (int plane = 0; plane < n * 3; plane++) {
            for (int h = 0; h < size; h++) {
                for (int w = 0; w < size; w++, i++) {
                    long noise = splitmix64(base + i) >>> 40;
                    long block = splitmix64(base + (1L << 39) + ((long) plane * blocks + h / 16) * blocks + w / 16) >>> 40;
                    x[i] = (float) ((3 * block + noise) / 33554432.0 - 1.0);
                }
            }
        }
        return x;
    }

    static long splitmix64(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void regeneratedImagesAreTheScriptsBitForBit() {
        float[] x = images(reference.get("images_seed").toInts()[0], BATCH);
        float[] head = reference.get("images_head").toFloats();
        for (int i = 0; i < head.length; i++) {
            assertEquals(Float.floatToIntBits(head[i]), Float.floatToIntBits(x[i]), "value " + i);
        }
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        assertEquals(reference.get("images_sum").toDoubles()[0], sum, 1e-9 * x.length);
    }

    @Test
    void narrowNetworkMatchesTorchInFloat64() {
        byte[] model = InceptionV3.onnx(narrow);
        float[] x = images(reference.get("images_seed").toInts()[0], BATCH);
        Map<String, FloatMatrix> got;
        try (OnnxModel m = OnnxModel.load(model, Device.CPU, "fid-inception-w16")) {
            assertEquals(InceptionV3.OUTPUTS, m.outputNames());
            assertArrayEquals(new long[] {-1, 3, 299, 299}, m.inputShape());
            got = m.run(x, new long[] {BATCH, 3, 299, 299}, InceptionV3.OUTPUTS);
        }
        for (String name : InceptionV3.OUTPUTS) {
            double[] want = reference.get(name + "_f64").toDoubles();
            double[] torch32 = reference.get(name + "_f32").toDoubles();
            FloatMatrix y = got.get(name);
            assertEquals(BATCH, y.rows(), name);
            assertEquals(want.length, y.data().length, name);
            double scale = 0;
            for (double v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            double ours = 0;
            double theirs = 0;
            double elementwise = 0;
            double theirsElementwise = 0;
            for (int i = 0; i < want.length; i++) {
                double d = Math.abs(y.data()[i] - want[i]);
                ours = Math.max(ours, d / scale);
                theirs = Math.max(theirs, Math.abs(torch32[i] - want[i]) / scale);
                // relative to the value, or to a hundredth of the largest for values near zero
                elementwise = Math.max(elementwise, d / Math.max(Math.abs(want[i]), 0.01 * scale));
                theirsElementwise = Math.max(theirsElementwise, Math.abs(torch32[i] - want[i])
                        / Math.max(Math.abs(want[i]), 0.01 * scale));
            }
            System.out.printf("%-16s max |onnx - torch64| / max |torch64| = %.2e (torch float32: %.2e); per value, "
                    + "relative to max(|torch64|, max/100): %.2e (torch float32: %.2e)%n", name, ours, theirs, elementwise,
                    theirsElementwise);
            assertTrue(ours <= 1e-5, name + ": " + ours);
            assertTrue(elementwise <= (name.startsWith("logits") ? 1e-4 : 1e-5), name + ": " + elementwise);
        }
    }

    @Test
    void stateDictWithoutBatchCountersBuilds() {
        Map<String, Tensor> sd = new LinkedHashMap<>(narrow);
        sd.keySet().removeIf(k -> k.endsWith(".num_batches_tracked"));
        assertTrue(InceptionV3.onnx(sd).length > 0);
    }

    @Test
    void missingKeyIsRefusedByName() {
        for (String key : new String[] {"Mixed_6c.branch7x7dbl_4.bn.running_var", "Conv2d_1a_3x3.conv.weight", "fc.bias"}) {
            Map<String, Tensor> sd = new LinkedHashMap<>(narrow);
            sd.remove(key);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> InceptionV3.onnx(sd));
            assertTrue(e.getMessage().contains("missing '" + key + "'"), e.getMessage());
        }
    }

    @Test
    void unexpectedKeyIsRefusedByName() {
        Map<String, Tensor> sd = new LinkedHashMap<>(narrow);
        sd.put("AuxLogits.fc.bias", Tensor.ofFloats(new int[] {1008}, new float[1008]));
        sd.put("AuxLogits.fc.weight", Tensor.ofFloats(new int[] {1008, 1}, new float[1008]));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InceptionV3.onnx(sd));
        assertTrue(e.getMessage().contains("unexpected key 'AuxLogits.fc.bias' (and 1 more: AuxLogits.fc.weight)"),
                e.getMessage());
    }

    @Test
    void wrongShapesAreRefusedByName() {
        // in-channels that do not follow from the layer before, a kernel of the wrong size, a batch-norm vector of
        // the wrong length, a classifier over the wrong feature count
        Map<String, int[]> wrong = Map.of(
                "Mixed_5c.branch5x5_2.conv.weight", new int[] {8, 5, 5, 5},
                "Mixed_6b.branch7x7_2.conv.weight", new int[] {16, 16, 7, 1},
                "Mixed_7b.branch_pool.bn.running_mean", new int[] {25},
                "fc.weight", new int[] {1008, 255},
                "Conv2d_2a_3x3.bn.num_batches_tracked", new int[] {2});
        wrong.forEach((key, shape) -> {
            Map<String, Tensor> sd = new LinkedHashMap<>(narrow);
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            sd.put(key, Tensor.ofFloats(shape, new float[n]));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> InceptionV3.onnx(sd), key);
            assertTrue(e.getMessage().contains("'" + key + "' has shape"), e.getMessage());
        });
    }

    @Test
    void nonFiniteValuesAndIntegerWeightsAreRefusedByName() {
        Map<String, Tensor> sd = new LinkedHashMap<>(narrow);
        float[] v = narrow.get("Mixed_7a.branch3x3_2.bn.weight").toFloats();
        v[3] = Float.NaN;
        sd.put("Mixed_7a.branch3x3_2.bn.weight", Tensor.ofFloats(new int[] {v.length}, v));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InceptionV3.onnx(sd));
        assertTrue(e.getMessage().contains("'Mixed_7a.branch3x3_2.bn.weight' holds NaN"), e.getMessage());

        Map<String, Tensor> ints = new LinkedHashMap<>(narrow);
        ints.put("fc.bias", Tensor.ofLongs(new int[] {1008}, new long[1008]));
        e = assertThrows(InvalidInputException.class, () -> InceptionV3.onnx(ints));
        assertTrue(e.getMessage().contains("'fc.bias' is an int64 tensor"), e.getMessage());
    }

    /**
     * The published widths (the narrow shapes times {@link #DIVISOR}, but the 3 input channels and the 1008 classes) with random
     * weights: the graph builds, runs and has pytorch-fid's 2048 / 1008 / 64 / 192 / 768 outputs; prints the times.
     */
    @Test
    void fullWidthTopologyBuildsAndRuns() {
        SplittableRandom rnd = new SplittableRandom(7);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        long params = 0;
        long t0 = System.nanoTime();
        for (Map.Entry<String, Tensor> e : narrow.entrySet()) {
            String key = e.getKey();
            int[] shape = e.getValue().shape();
            if (key.endsWith("num_batches_tracked")) {
                sd.put(key, e.getValue());
                continue;
            }
            boolean classes = key.startsWith("fc.");
            for (int d = 0; d < Math.min(shape.length, 2); d++) {
                boolean keep = (classes && d == 0) || (key.startsWith("Conv2d_1a_3x3.conv") && d == 1);
                shape[d] *= keep ? 1 : DIVISOR;
            }
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            if (key.endsWith(".weight") && shape.length > 1) {
                double sd0 = Math.sqrt(2.0 / (n / shape[0]));
                for (int i = 0; i < n; i++) {
                    v[i] = (float) (rnd.nextGaussian() * sd0);
                }
            } else if (key.endsWith("bn.weight") || key.endsWith("running_var")) {
                Arrays.fill(v, 1f);
            }
            sd.put(key, Tensor.ofFloats(shape, v));
            params += n;
        }
        long t1 = System.nanoTime();
        byte[] model = InceptionV3.onnx(sd);
        long t2 = System.nanoTime();
        int batch = 2;
        float[] x = images(11, batch);
        try (OnnxModel m = OnnxModel.load(model, Device.CPU, "fid-inception-full-width")) {
            long t3 = System.nanoTime();
            Map<String, FloatMatrix> y = m.run(x, new long[] {batch, 3, 299, 299}, InceptionV3.OUTPUTS);
            long t4 = System.nanoTime();
            y = m.run(x, new long[] {batch, 3, 299, 299}, InceptionV3.OUTPUTS);
            long t5 = System.nanoTime();
            int[] widths = {2048, 1008, 1008, 64, 192, 768};
            for (int i = 0; i < widths.length; i++) {
                FloatMatrix out = y.get(InceptionV3.OUTPUTS.get(i));
                assertEquals(batch, out.rows());
                assertEquals(widths[i], out.cols(), InceptionV3.OUTPUTS.get(i));
                for (float f : out.data()) {
                    assertTrue(Float.isFinite(f), InceptionV3.OUTPUTS.get(i));
                }
            }
            System.out.printf("full width: %d parameters, random state dict %.2f s, onnx() %.2f s (%.1f MB), ORT load %.2f s, "
                            + "batch of %d: first run %.2f s, second %.2f s%n", params, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    model.length / 1e6, (t3 - t2) / 1e9, batch, (t4 - t3) / 1e9, (t5 - t4) / 1e9);
        }
    }
}
