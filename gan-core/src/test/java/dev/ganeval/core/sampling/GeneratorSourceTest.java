package dev.ganeval.core.sampling;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Fixtures;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.onnx.OnnxExportTest;
import dev.ganeval.core.onnx.OnnxGenerator;
import dev.ganeval.core.onnx.OnnxModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorSourceTest {
    private static Path onnxFixtures() {
        return Fixtures.testdata().resolve("onnx");
    }

    private static ReferenceGan tinyGan(long seed) {
        // 16 outputs: square 4x4 samples.
        return new ReferenceGan(GanConfig.mnistPaper(seed).withSizes(4, new int[] {8}, 16, new int[] {6}, 3), null);
    }

    @Test
    void ganevalExportsDescribeThemselves() {
        ReferenceGan gan = tinyGan(1);
        try (OnnxGenerator g = new OnnxGenerator(OnnxModel.load(OnnxExport.generator(gan), Device.CPU, "g.onnx"), null, null)) {
            assertEquals(Noise.uniform(Math.sqrt(3)), g.noise());
            assertEquals(PixelRange.UNIT, g.pixelRange());
            assertArrayEquals(new int[] {1, 4, 4}, g.sampleShape());
            assertEquals(4, g.noiseDim());
            // The same noise stream as the Java generator draws: ONNX samples equal the Java forward pass.
            FloatMatrix onnx = g.sample(6, new SplittableRandom(9));
            FloatMatrix java = gan.sample(6, new SplittableRandom(9));
            OnnxExportTest.assertClose(java, onnx, 1e-5);
        }
    }

    @Test
    void samplesDoNotDependOnTheBatchSizeAndLieInTheUnitInterval() {
        byte[] model = OnnxExport.generator(tinyGan(2));
        try (OnnxGenerator g = new OnnxGenerator(OnnxModel.load(model, Device.CPU, "g.onnx"), null, null)) {
            List<long[]> progress = new ArrayList<>();
            GeneratorSource whole = new GeneratorSource(g, 23, 5, 23, (d, t) -> progress.add(new long[] {d, t}));
            GeneratorSource batched = new GeneratorSource(g, 23, 5, 4, (d, t) -> progress.add(new long[] {d, t}));
            FloatMatrix a = whole.read();
            FloatMatrix b = batched.read();
            assertArrayEquals(a.data(), b.data());
            assertEquals(1 + 6, progress.size());
            // Drawn as asked for, 5 at a time: the same samples, and the count known before drawing.
            assertEquals(23, batched.rowCount());
            java.util.Iterator<FloatMatrix> it = batched.batches(5);
            int done = 0;
            while (it.hasNext()) {
                FloatMatrix part = it.next();
                assertArrayEquals(a.rowRange(done, done + part.rows()).data(), part.data());
                done += part.rows();
            }
            assertEquals(23, done);
            assertArrayEquals(new long[] {23, 23}, progress.get(progress.size() - 1));
            for (float v : a.data()) {
                assertTrue(v >= 0 && v <= 1);
            }
            assertTrue(whole.warnings().isEmpty());
            assertEquals(4, whole.height());
            assertTrue(whole.settings().contains("noise=uniform:1.73"), whole.settings());
        }
    }

    @Test
    void aPyTorchDcganGeneratorIsSampledWithItsOwnShapes() {
        Path dir = onnxFixtures();
        Map<String, NpyArray> ref = Npy.readNpz(dir.resolve("dcgan-tiny.npz"));
        try (OnnxGenerator g = OnnxGenerator.load(dir.resolve("dcgan-tiny.onnx"), Device.CPU, null, null)) {
            assertEquals(Noise.normal(), g.noise(), "no metadata: N(0, 1)");
            assertEquals(PixelRange.SYMMETRIC, g.pixelRange(), "no metadata: tanh range");
            assertArrayEquals(new int[] {3, 8, 8}, g.sampleShape());
            assertEquals(8, g.noiseDim());
            // torch's outputs for torch's z, through the [N, 8, 1, 1] input.
            FloatMatrix x = g.model().run(ref.get("z").toFloats(), new long[] {5, 8, 1, 1}, "images");
            float[] want = ref.get("x").toFloats();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], x.data()[i], 1e-5);
            }
            FloatMatrix s = new GeneratorSource(g, 10, 1, 3, dev.ganeval.core.Progress.NONE).read();
            assertEquals(10, s.rows());
            assertEquals(3 * 8 * 8, s.cols());
            boolean below = false;
            for (float v : s.data()) {
                assertTrue(v >= 0 && v <= 1);
                below |= v < 0.5f;
            }
            assertTrue(below, "tanh outputs below 0 map below 0.5");
        }
    }

    @Test
    void aWrongPixelRangeIsAnErrorOrAWarning() {
        Path dir = onnxFixtures();
        // tanh outputs declared as [0, 1]: negative values are out of range, an error naming the model and the fix.
        try (OnnxGenerator g = OnnxGenerator.load(dir.resolve("dcgan-tiny.onnx"), Device.CPU, null, PixelRange.UNIT)) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> new GeneratorSource(g, 20, 1, 8, dev.ganeval.core.Progress.NONE).read());
            assertTrue(e.getMessage().contains("dcgan-tiny.onnx") && e.getMessage().contains("--pixel-range -1,1"), e.getMessage());
        }
        // sigmoid outputs declared as [-1, 1]: all in [0, 1], allowed but warned about.
        try (OnnxGenerator g = new OnnxGenerator(OnnxModel.load(OnnxExport.generator(tinyGan(3)), Device.CPU, "g.onnx"),
                null, PixelRange.SYMMETRIC)) {
            GeneratorSource src = new GeneratorSource(g, 50, 1, 50, dev.ganeval.core.Progress.NONE);
            src.read();
            assertEquals(1, src.warnings().size());
            assertTrue(src.warnings().get(0).contains("--pixel-range 0,1"), src.warnings().get(0));
        }
    }

    @Test
    void halfPrecisionWeightsHalveTheFileAndKeepTheOutputs() {
        ReferenceGan gan = new ReferenceGan(GanConfig.mnistPaper(4), null);
        byte[] full = OnnxExport.generator(gan);
        byte[] half = OnnxExport.withHalfPrecisionWeights(full, 1024);
        assertTrue(half.length < full.length * 0.51, half.length + " vs " + full.length);
        try (OnnxGenerator a = new OnnxGenerator(OnnxModel.load(full, Device.CPU, "full"), null, null);
             OnnxGenerator b = new OnnxGenerator(OnnxModel.load(half, Device.CPU, "half"), null, null)) {
            assertEquals(a.noise(), b.noise(), "metadata survives the conversion");
            FloatMatrix x = a.sample(64, new SplittableRandom(3));
            FloatMatrix y = b.sample(64, new SplittableRandom(3));
            double maxDiff = 0;
            boolean differ = false;
            for (int i = 0; i < x.data().length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(x.data()[i] - y.data()[i]));
                differ |= x.data()[i] != y.data()[i];
            }
            assertTrue(differ, "weights were really rounded");
            assertTrue(maxDiff < 2e-3, "max |difference| " + maxDiff);
        }
    }

    @Test
    void noiseAndRangeParseOrSayWhatIsExpected() {
        assertEquals(Noise.uniform(2.5), Noise.parse("uniform:2.5"));
        assertEquals(Noise.normal(), Noise.parse(" Normal "));
        assertEquals(Noise.uniform(Math.sqrt(3)), Noise.parse(Noise.uniform(Math.sqrt(3)).toString()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Noise.parse("gauss")).getMessage().contains("normal[:std]"));
        assertThrows(IllegalArgumentException.class, () -> Noise.parse("uniform:-1"));
        assertEquals(PixelRange.SYMMETRIC, PixelRange.parse("-1, 1"));
        assertEquals("0,255", PixelRange.parse("0,255").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelRange.parse("1,0")).getMessage().contains("low,high"));
        assertThrows(IllegalArgumentException.class, () -> PixelRange.parse("0..1"));
    }

    @Test
    void aGeneratorIsAlwaysAskedForItsOwnBatchSizeWhateverTheConsumerAsks() {
        // A generator whose output depends on the batch it draws (as a network's last bits can): handing out a batch
        // size other than the source's must not change the samples.
        java.util.List<Integer> asked = new java.util.ArrayList<>();
        ImageGenerator byBatch = new ImageGenerator() {
            @Override
            public FloatMatrix sample(int n, java.util.random.RandomGenerator rng) {
                asked.add(n);
                FloatMatrix x = new FloatMatrix(n, 4);
                for (int i = 0; i < x.data().length; i++) {
                    x.data()[i] = (float) (rng.nextDouble() * 0.5 + 0.01 * n / 100);
                }
                return x;
            }

            @Override
            public Noise noise() {
                return Noise.normal();
            }

            @Override
            public PixelRange pixelRange() {
                return PixelRange.UNIT;
            }

            @Override
            public int[] sampleShape() {
                return new int[] {1, 2, 2};
            }

            @Override
            public String description() {
                return "by-batch";
            }
        };
        GeneratorSource src = new GeneratorSource(byBatch, 250, 3, 100, dev.ganeval.core.Progress.NONE);
        FloatMatrix whole = src.read();
        for (int consumer : new int[] {1, 7, 100, 1000}) {
            asked.clear();
            java.util.Iterator<FloatMatrix> it = src.batches(consumer);
            FloatMatrix joined = new FloatMatrix(250, 4);
            int done = 0;
            while (it.hasNext()) {
                FloatMatrix b = it.next();
                assertTrue(b.rows() <= consumer, "at most the consumer's batch size");
                System.arraycopy(b.data(), 0, joined.data(), done * 4, b.data().length);
                done += b.rows();
            }
            assertEquals(java.util.List.of(100, 100, 50), asked, "drawn in the source's batches for consumer " + consumer);
            assertArrayEquals(whole.data(), joined.data(), 0f);
        }
    }
}
