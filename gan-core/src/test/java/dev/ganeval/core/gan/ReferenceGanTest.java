package dev.ganeval.core.gan;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Optimizer;
import dev.ganeval.core.nn.Parameter;
import dev.ganeval.core.sampling.Noise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceGanTest {
    @TempDir
    Path tmp;

    static final GanConfig TINY = GanConfig.mnistPaper(42).withSizes(4, new int[] {16}, 9, new int[] {8}, 2).withBatchSize(10);

    /** 3×3 "bars": a random row or column lit, with a little noise. */
    static FloatMatrix bars(int n, long seed) {
        Random rnd = new Random(seed);
        FloatMatrix x = new FloatMatrix(n, 9);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(3);
            boolean row = rnd.nextBoolean();
            for (int j = 0; j < 3; j++) {
                x.set(i, row ? k * 3 + j : j * 3 + k, 0.9f);
            }
            for (int p = 0; p < 9; p++) {
                x.set(i, p, Math.min(1f, x.get(i, p) + 0.05f * rnd.nextFloat()));
            }
        }
        return x;
    }

    static double[] means(FloatMatrix x) {
        double[] m = new double[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                m[j] += x.get(i, j) / x.rows();
            }
        }
        return m;
    }

    /**
     * The paper's momentum, epoch by epoch, as the original run set it: pylearn2's Train calls every extension's
     * on_monitor once before the first epoch and once after each, and MomentumAdjustor(start=1, saturate=250,
     * final_momentum=0.7) on a Momentum(0.5) rule sets alpha = clip((calls - start) / (saturate - start), 0, 1).
     */
    @Test
    void papersMomentumRampFollowsPylearn2sEpochCounter() {
        Optimizer sgd = GanConfig.mnistPaper(1).updateRule().optimizer(GanConfig.mnistPaper(1));
        int start = 1;
        int saturate = 250;
        int calls = 1; // the call before training
        for (int epoch = 0; epoch < 400; epoch++, calls++) {
            double alpha = Math.min(1, Math.max(0, (double) (calls - start) / (saturate - start)));
            double want = 0.5 * (1 - alpha) + 0.7 * alpha;
            assertEquals(want, sgd.momentum(epoch), 1e-12, "momentum in epoch " + epoch);
        }
    }

    @Test
    void papersMnistModelHasTheDocumentedShapes() {
        ReferenceGan gan = new ReferenceGan(GanConfig.mnistPaper(1), null);
        List<Parameter> p = gan.parameters();
        int[][] shapes = {{100, 1200}, {1, 1200}, {1200, 1200}, {1, 1200}, {1200, 784}, {1, 784},
                {784, 1200}, {1, 1200}, {240, 1200}, {1, 1200}, {240, 1}, {1, 1}};
        assertEquals(shapes.length, p.size());
        for (int i = 0; i < shapes.length; i++) {
            assertEquals(shapes[i][0], p.get(i).value().rows(), "parameter " + i);
            assertEquals(shapes[i][1], p.get(i).value().cols(), "parameter " + i);
        }
        float max = 0;
        for (float v : p.get(0).value().data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= 0.05f && max > 0.04f, "generator weights U(±0.05): max " + max);
    }

    @Test
    void initialSamplesMatchTheDataMeanThroughTheOutputBias() {
        FloatMatrix data = bars(500, 1);
        ReferenceGan gan = new ReferenceGan(TINY, means(data));
        FloatMatrix s = gan.sample(2000, new SplittableRandom(2));
        double[] want = means(data);
        double[] got = means(s);
        for (int j = 0; j < 9; j++) {
            assertEquals(want[j], got[j], 0.03, "pixel " + j);
        }
        for (float v : s.data()) {
            assertTrue(v >= 0 && v <= 1);
        }
        for (float p : gan.probabilityReal(data)) {
            assertTrue(p >= 0 && p <= 1);
        }
    }

    @Test
    void trainingRunsAndResumingFromACheckpointIsBitIdentical() throws IOException {
        FloatMatrix data = bars(200, 3);
        GanTrainer straight = new GanTrainer(new ReferenceGan(TINY, means(data)), data);
        for (int e = 0; e < 4; e++) {
            EpochStats s = straight.trainEpoch();
            assertTrue(Double.isFinite(s.discriminatorLoss()) && Double.isFinite(s.generatorLoss()), s.toString());
            assertTrue(s.meanDReal() > 0 && s.meanDReal() < 1);
        }
        GanTrainer first = new GanTrainer(new ReferenceGan(TINY, means(data)), data);
        first.trainEpoch();
        first.trainEpoch();
        Path ckpt = tmp.resolve("gan.ckpt");
        Checkpoint.save(first, ckpt);
        GanTrainer resumed = Checkpoint.load(ckpt, TINY, data);
        assertEquals(2, resumed.epoch());
        resumed.trainEpoch();
        resumed.trainEpoch();
        assertSameParameters(straight, resumed);
    }

    @Test
    void corruptTruncatedAndMismatchedCheckpointsAreRejected() throws IOException {
        FloatMatrix data = bars(100, 4);
        GanTrainer t = new GanTrainer(new ReferenceGan(TINY, means(data)), data);
        t.trainEpoch();
        Path ckpt = tmp.resolve("a.ckpt");
        Checkpoint.save(t, ckpt);
        byte[] good = Files.readAllBytes(ckpt);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        Path bad = Files.write(tmp.resolve("bad.ckpt"), flipped);
        assertTrue(assertThrows(InvalidInputException.class, () -> Checkpoint.load(bad, TINY, data)).getMessage().contains("CRC"));
        Path cut = Files.write(tmp.resolve("cut.ckpt"), java.util.Arrays.copyOf(good, good.length - 100));
        assertThrows(InvalidInputException.class, () -> Checkpoint.load(cut, TINY, data));
        GanConfig other = TINY.withBatchSize(20);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load(ckpt, other, data));
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
        Path png = Files.write(tmp.resolve("x.ckpt"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertTrue(assertThrows(InvalidInputException.class, () -> Checkpoint.load(png, TINY, data)).getMessage().contains("magic"));
        assertThrows(InvalidInputException.class, () -> Checkpoint.load(tmp.resolve("none.ckpt"), TINY, data));
    }

    @Test
    void configurationRoundTripsThroughItsDescription() throws IOException {
        for (GanConfig c : new GanConfig[] {GanConfig.mnistPaper(9), TINY}) {
            assertEquals(c, GanConfig.fromDescription(c.describe()));
        }
        java.util.Map<String, String> broken = new java.util.LinkedHashMap<>(TINY.describe());
        broken.put("pieces", "five");
        assertThrows(IllegalArgumentException.class, () -> GanConfig.fromDescription(broken));
        FloatMatrix data = bars(100, 6);
        GanTrainer t = new GanTrainer(new ReferenceGan(TINY, means(data)), data);
        Path ckpt = tmp.resolve("c.ckpt");
        Checkpoint.save(t, ckpt);
        assertEquals(TINY, Checkpoint.readConfig(ckpt));
    }

    /**
     * tiny-v1.ckpt was written by format version 1 (commit 716f823, before noise became a setting): TINY trained
     * one epoch on bars(100, 7), saved with Checkpoint.save.
     */
    @Test
    void versionOneCheckpointsLoadAsUniformNoiseAndAreRewrittenInTheCurrentVersion() throws IOException {
        // Then the paper's momentum ramp was counted 1-250 (now 0-249); the checkpoint keeps the one it trained with.
        GanConfig tinyThen = TINY.withMomentum(0.5, 0.7, 1, 250);
        Path v1 = tmp.resolve("v1.ckpt");
        try (var in = ReferenceGanTest.class.getResourceAsStream("tiny-v1.ckpt")) {
            Files.copy(java.util.Objects.requireNonNull(in, "tiny-v1.ckpt"), v1);
        }
        assertEquals(1, java.nio.ByteBuffer.wrap(Files.readAllBytes(v1), 8, 4).getInt());
        assertEquals(tinyThen, Checkpoint.readConfig(v1));
        FloatMatrix data = bars(100, 7);
        GanTrainer loaded = Checkpoint.load(v1, tinyThen, data);
        assertEquals(1, loaded.epoch());
        // The same epoch trained now: equal up to float rounding (another CPU may run other vector widths).
        GanTrainer fresh = new GanTrainer(new ReferenceGan(tinyThen, means(data)), data);
        fresh.trainEpoch();
        List<Parameter> a = loaded.gan().parameters();
        List<Parameter> b = fresh.gan().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).value().data(), a.get(i).value().data(), 1e-4f, "parameter " + i);
            assertArrayEquals(fresh.optimizer().state(b.get(i)).get(0), loaded.optimizer().state(a.get(i)).get(0), 1e-4f, "momentum " + i);
        }
        Path v2 = tmp.resolve("v2.ckpt");
        Checkpoint.save(loaded, v2);
        assertEquals(Checkpoint.VERSION, java.nio.ByteBuffer.wrap(Files.readAllBytes(v2), 8, 4).getInt());
        GanTrainer again = Checkpoint.load(v2, tinyThen, data);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().data(), again.gan().parameters().get(i).value().data(), "parameter " + i);
        }
        byte[] future = Files.readAllBytes(v2);
        java.nio.ByteBuffer.wrap(future, 8, 4).putInt(Checkpoint.VERSION + 1);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(future, 0, future.length - 8);
        java.nio.ByteBuffer.wrap(future, future.length - 8, 8).putLong(crc.getValue());
        Path newer = Files.write(tmp.resolve("newer.ckpt"), future);
        assertTrue(assertThrows(InvalidInputException.class, () -> Checkpoint.load(newer, TINY, data)).getMessage()
                .contains("version " + (Checkpoint.VERSION + 1) + " is not supported"));
    }

    @Test
    void normalNoiseIsASettingThatCheckpointsKeep() throws IOException {
        GanConfig normal = TINY.withNoise(Noise.normal());
        assertEquals(normal, GanConfig.fromDescription(normal.describe()));
        assertEquals("normal:1.0", normal.describe().get("noise"));
        FloatMatrix z = new ReferenceGan(normal, null).noise(5000, new SplittableRandom(3));
        double sum = 0;
        double sq = 0;
        float max = 0;
        for (float v : z.data()) {
            sum += v;
            sq += v * v;
            max = Math.max(max, Math.abs(v));
        }
        int n = z.data().length;
        assertEquals(0, sum / n, 0.02);
        assertEquals(1, sq / n, 0.02);
        assertTrue(max > 3.5, "normal noise reaches past the uniform's ±√3: max " + max);
        FloatMatrix data = bars(100, 8);
        GanTrainer t = new GanTrainer(new ReferenceGan(normal, means(data)), data);
        t.trainEpoch();
        Path ckpt = tmp.resolve("normal.ckpt");
        Checkpoint.save(t, ckpt);
        assertEquals(normal, Checkpoint.readConfig(ckpt));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.load(ckpt, TINY, data));
        assertTrue(e.getMessage().contains("noise: checkpoint normal:1.0, requested uniform:1.7320508075688772"), e.getMessage());
    }

    @Test
    void adamIsASettingThatCheckpointsKeepAndResumeBitIdentically() throws IOException {
        GanConfig adam = TINY.withUpdateRule(UpdateRule.adam(0.5, 0.999, 1e-8)).withSchedule(0.002, 1, 0);
        assertEquals(adam, GanConfig.fromDescription(adam.describe()));
        assertEquals("adam:0.5,0.999,1.0E-8", adam.describe().get("update_rule"));
        assertTrue(!TINY.describe().containsKey("update_rule"), "SGD configurations describe themselves as before");
        FloatMatrix data = bars(200, 11);
        GanTrainer straight = new GanTrainer(new ReferenceGan(adam, means(data)), data);
        GanTrainer sgd = new GanTrainer(new ReferenceGan(TINY.withSchedule(0.002, 1, 0), means(data)), data);
        for (int e = 0; e < 3; e++) {
            EpochStats s = straight.trainEpoch();
            assertTrue(Double.isFinite(s.discriminatorLoss()) && Double.isFinite(s.generatorLoss()), s.toString());
            assertEquals(0.5, s.momentum(), "the log's momentum is Adam's beta1");
            sgd.trainEpoch();
        }
        // Adam moves the weights differently from SGD with the same schedule.
        assertTrue(!java.util.Arrays.equals(straight.gan().parameters().get(0).value().data(),
                sgd.gan().parameters().get(0).value().data()));
        GanTrainer first = new GanTrainer(new ReferenceGan(adam, means(data)), data);
        first.trainEpoch();
        Path ckpt = tmp.resolve("adam.ckpt");
        Checkpoint.save(first, ckpt);
        assertEquals(adam, Checkpoint.readConfig(ckpt));
        GanTrainer resumed = Checkpoint.load(ckpt, adam, data);
        resumed.trainEpoch();
        resumed.trainEpoch();
        assertSameParameters(straight, resumed);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Checkpoint.load(ckpt, TINY.withSchedule(0.002, 1, 0), data));
        assertTrue(e.getMessage().contains("update_rule: checkpoint adam:0.5,0.999,1.0E-8, requested sgd"), e.getMessage());
    }

    @Test
    void versionTwoAndThreeCheckpointsAreVersionFourSgdCheckpointsWithoutData() throws IOException {
        // The format note says an SGD checkpoint's bytes are the same in versions 2 and 3 but for the number, and
        // version 4 adds the data entries after the configuration.
        FloatMatrix data = bars(100, 12);
        GanTrainer t = new GanTrainer(new ReferenceGan(TINY, means(data)), data);
        t.trainEpoch();
        Path v4 = tmp.resolve("v4.ckpt");
        Checkpoint.save(t, v4, java.util.Map.of("source", "bars", "rows", "100"));
        assertEquals(java.util.Map.of("source", "bars", "rows", "100"), Checkpoint.readData(v4));
        byte[] written = Files.readAllBytes(v4);
        java.io.DataInputStream header = new java.io.DataInputStream(new java.io.ByteArrayInputStream(written, 12,
                written.length - 12));
        int configEntries = header.readInt();
        for (int i = 0; i < 2 * configEntries; i++) {
            header.readUTF();
        }
        int dataAt = written.length - header.available();
        int dataEntries = header.readInt();
        for (int i = 0; i < 2 * dataEntries; i++) {
            header.readUTF();
        }
        int dataEnd = written.length - header.available();
        // The same bytes without the data entries, as version 3 (SGD) and version 2.
        byte[] bytes = new byte[written.length - (dataEnd - dataAt)];
        System.arraycopy(written, 0, bytes, 0, dataAt);
        System.arraycopy(written, dataEnd, bytes, dataAt, written.length - dataEnd);
        java.nio.ByteBuffer.wrap(bytes, 8, 4).putInt(3);
        java.util.zip.CRC32 crc3 = new java.util.zip.CRC32();
        crc3.update(bytes, 0, bytes.length - 8);
        java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).putLong(crc3.getValue());
        Path v3 = Files.write(tmp.resolve("v3.ckpt"), bytes);
        assertEquals(java.util.Map.of(), Checkpoint.readData(v3));
        assertSameParameters(t, Checkpoint.load(v3, TINY, data));
        bytes = bytes.clone();
        java.nio.ByteBuffer.wrap(bytes, 8, 4).putInt(2);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).putLong(crc.getValue());
        Path v2 = Files.write(tmp.resolve("v2.ckpt"), bytes);
        GanTrainer loaded = Checkpoint.load(v2, TINY, data);
        for (int i = 0; i < t.gan().parameters().size(); i++) {
            assertArrayEquals(t.optimizer().state(t.gan().parameters().get(i)).get(0),
                    loaded.optimizer().state(loaded.gan().parameters().get(i)).get(0), "momentum " + i);
        }
    }

    /** Bit for bit, parameter by parameter. */
    /**
     * The paper's model is large enough that its multiplies and SGD updates are split between threads; the split
     * must not change a bit, so a run can be resumed with another --threads (or on another machine).
     */
    @Test
    void trainingDoesNotDependOnTheThreadCount() {
        Random rnd = new Random(8);
        FloatMatrix data = new FloatMatrix(200, 784);
        for (int i = 0; i < data.data().length; i++) {
            data.data()[i] = rnd.nextFloat() < 0.2f ? rnd.nextFloat() : 0f;
        }
        GanTrainer[] runs = new GanTrainer[2];
        int[] threads = {1, 3};
        try {
            for (int r = 0; r < runs.length; r++) {
                ComputeThreads.set(threads[r]);
                runs[r] = new GanTrainer(new ReferenceGan(GanConfig.mnistPaper(5), means(data)), data);
                runs[r].trainEpoch();
            }
        } finally {
            ComputeThreads.reset();
        }
        assertSameParameters(runs[0], runs[1]);
    }

    @Test
    void anEpochReportsEachMinibatchToItsProgress() {
        FloatMatrix data = bars(105, 2);
        GanTrainer t = new GanTrainer(new ReferenceGan(TINY, means(data)), data);
        List<long[]> seen = new java.util.ArrayList<>();
        t.trainEpoch((done, total) -> seen.add(new long[] {done, total}));
        assertEquals(10, seen.size(), "105 rows in batches of 10: 10 full minibatches, the partial one dropped");
        for (int k = 0; k < seen.size(); k++) {
            assertArrayEquals(new long[] {k + 1, 10}, seen.get(k));
        }
    }

    private static void assertSameParameters(GanTrainer expected, GanTrainer actual) {
        List<Parameter> a = expected.gan().parameters();
        List<Parameter> b = actual.gan().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), "parameter " + i);
        }
    }

    @Test
    void sampleGridIsAPngOfTheRightSize() throws IOException {
        FloatMatrix s = bars(12, 5);
        Path png = tmp.resolve("grid.png");
        SampleGrid.write(s, 3, 4, 3, 3, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(4 * 4 + 1, img.getWidth());
        assertEquals(3 * 4 + 1, img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> SampleGrid.write(s, 4, 4, 3, 3, png));
    }
}
