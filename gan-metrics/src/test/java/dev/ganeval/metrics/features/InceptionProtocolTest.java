package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InceptionProtocolTest {
    /**
     * The network inputs the Python tools build from the same 8-bit images (read as k / 255f): pytorch-fid (torch
     * bilinear, 2x − 1), torch-fidelity's TF1 bilinear on the uint8 values and clean-fid's Pillow bicubic, both then
     * (x − 128) / 128. Measured: tf and clean agree to the bit on every case.
     *
     * <p>pytorch-fid keeps BilinearResize's tolerance against torch (2e-6, doubled by 2x − 1) on every case, downscaling
     * from 300–512 pixels included: BilinearResize computes the source coordinate as torch 1.13's CPU kernel does (the
     * scale in float32, the coordinate in float64, only the fraction rounded to float32); with a float32 coordinate it
     * was off by up to 2.84e-5 there.
     */
    @Test
    void networkInputsMatchThePythonTools() {
        int checked = 0;
        for (ProtocolReferences.Case c : ProtocolReferences.cases()) {
            if (!c.square()) {
                continue;
            }
            float[] unit = c.unit();
            int s = c.outHeight();
            double pfidTolerance = 4e-6;
            ProtocolReferences.compare(c, "pfid", InceptionProtocol.PYTORCH_FID.apply(unit, c.channels(), c.height(), c.width(), s), 3, pfidTolerance);
            ProtocolReferences.compare(c, "tf", InceptionProtocol.TF.apply(unit, c.channels(), c.height(), c.width(), s), 3, 1e-5);
            ProtocolReferences.compare(c, "clean", InceptionProtocol.CLEAN.apply(unit, c.channels(), c.height(), c.width(), s), 3, 1e-5);
            checked++;
        }
        assertTrue(checked >= 10, "square cases checked: " + checked);
    }

    @Test
    void pytorchFidIsWhatTheOnnxExtractorFeedsTheNetwork() {
        float[] img = PilBicubicResizeTest.random(new SplittableRandom(5), 28 * 28, 1f);
        float[] r = BilinearResize.resize(img, 1, 28, 28, 40, 40);
        float[] want = new float[3 * 40 * 40];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < r.length; p++) {
                want[c * r.length + p] = 2f * r[p] - 1f;
            }
        }
        assertArrayEquals(want, InceptionProtocol.PYTORCH_FID.apply(img, 1, 28, 28, 40));
    }

    @Test
    void eightBitLevelsComeBackExactly() {
        // An 8-bit file's k is held as k / 255f; tf's round(x·255) and clean's x·255 both give k back.
        for (int k = 0; k < 256; k++) {
            float x = k / 255f;
            assertEquals(k, x * 255f, 0f);
            assertEquals(k, Math.floor(x * 255f + 0.5f), 0.0);
        }
    }

    @Test
    void namesAreTheReportLabelsAndParseBack() {
        assertEquals(List.of("pytorch-fid", "tf", "clean"), InceptionProtocol.names());
        for (InceptionProtocol p : InceptionProtocol.values()) {
            assertSame(p, InceptionProtocol.parse(p.name()));
            assertEquals(p.name(), p.toString());
        }
        assertSame(InceptionProtocol.CLEAN, InceptionProtocol.parse(" Clean "));
        assertEquals(299, InceptionProtocol.DEFAULT_SIZE);
        assertEquals(3 * 299 * 299, InceptionProtocol.TF.apply(new float[4], 1, 2, 2).length);
    }

    @Test
    void parseRefusesUnknownNamesListingTheKnownOnes() {
        for (String bad : List.of("", "pytorch", "tensorflow", "legacy_tensorflow", "bicubic")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> InceptionProtocol.parse(bad));
            assertTrue(e.getMessage().contains("known: pytorch-fid, tf, clean"), e.getMessage());
        }
    }

    @Test
    void refusesImagesItCannotTake() {
        InceptionProtocol p = InceptionProtocol.CLEAN;
        assertThrows(InvalidInputException.class, () -> p.apply(new float[8], 2, 2, 2, 299));
        assertThrows(InvalidInputException.class, () -> p.apply(new float[5], 1, 2, 2, 299));
        assertThrows(InvalidInputException.class, () -> p.apply(new float[4], 1, 2, 2, 0));
        InvalidInputException nan = assertThrows(InvalidInputException.class, () -> p.apply(new float[] {0f, Float.NaN, 0f, 0f}, 1, 2, 2, 8));
        assertTrue(nan.getMessage().contains("index 1"), nan.getMessage());
        assertThrows(InvalidInputException.class, () -> InceptionProtocol.TF.apply(new float[] {0f, 1.5f, 0f, 0f}, 1, 2, 2, 8));
    }

    @Property(tries = 60)
    void constantImageGivesItsScaledConstant(@ForAll @IntRange(min = 0, max = 255) int level,
                                             @ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                                             @ForAll @IntRange(min = 1, max = 64) int size) {
        float[] img = new float[3 * h * w];
        Arrays.fill(img, level / 255f);
        float scaled = (level - 128f) / 128f;
        for (float v : InceptionProtocol.TF.apply(img, 3, h, w, size)) {
            assertEquals(scaled, v, 0f);
        }
        for (float v : InceptionProtocol.CLEAN.apply(img, 3, h, w, size)) {
            assertEquals(scaled, v, 1e-6f);
        }
        for (float v : InceptionProtocol.PYTORCH_FID.apply(img, 3, h, w, size)) {
            assertEquals(2f * (level / 255f) - 1f, v, 1e-6f);
        }
    }

    @Property(tries = 30)
    void grayIsReplicatedToRgb(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int h,
                               @ForAll @IntRange(min = 1, max = 30) int w, @ForAll @IntRange(min = 1, max = 50) int size) {
        float[] gray = PilBicubicResizeTest.random(new SplittableRandom(seed), h * w, 1f);
        float[] rgb = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(gray, 0, rgb, c * h * w, h * w);
        }
        for (InceptionProtocol p : InceptionProtocol.values()) {
            assertArrayEquals(p.apply(rgb, 3, h, w, size), p.apply(gray, 1, h, w, size), p.name());
        }
    }

    @Property(tries = 30)
    void outputsStayInTheNetworksRange(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int h,
                                       @ForAll @IntRange(min = 1, max = 30) int w, @ForAll @IntRange(min = 1, max = 50) int size) {
        float[] img = PilBicubicResizeTest.random(new SplittableRandom(seed), 3 * h * w, 1f);
        for (InceptionProtocol p : InceptionProtocol.values()) {
            for (float v : p.apply(img, 3, h, w, size)) {
                // Bilinear blends stay within the pixels; clean-fid's clip keeps the cubic's overshoot in [0, 255].
                assertTrue(v >= -1f && v <= 1f, p.name() + ": " + v);
            }
        }
    }
}
