package dev.ganeval.core.gan;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Parameter;
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
        List<Parameter> a = straight.gan().parameters();
        List<Parameter> b = resumed.gan().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().data(), b.get(i).value().data(), "parameter " + i);
        }
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
