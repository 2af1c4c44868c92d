package dev.ganeval.metrics.features;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PilBicubicResizeTest {
    /** Pillow 9.4's Image.resize(BICUBIC) on mode 'F' channels: up to 299, down from 512×384 and 400×300, non-square. */
    @Test
    void matchesPillowBicubicOnFloatImages() {
        ProtocolReferences.compareEveryCase("pil", PilBicubicResize::resize, 1e-5);
    }

    @Test
    void downscalingWidensTheFilterByTheScale() {
        // 512 -> 299: support 2 * 512/299 input pixels either side, so 7 or 8 taps; upscaling keeps 4 or 5.
        PilBicubicResize.Axis down = PilBicubicResize.axis(512, 299);
        assertEquals((int) Math.ceil(2.0 * 512 / 299) * 2 + 1, down.stride);
        for (int i = 1; i < 298; i++) {
            assertEquals(7, down.count[i], 1, "taps of output " + i);
        }
        PilBicubicResize.Axis up = PilBicubicResize.axis(32, 299);
        for (int i = 0; i < 299; i++) {
            double sum = 0;
            for (int j = 0; j < up.count[i]; j++) {
                sum += up.weights[i * up.stride + j];
            }
            assertEquals(1.0, sum, 1e-12, "weights of output " + i + " are normalised");
            assertEquals(true, up.count[i] <= 5, "taps of output " + i);
        }
    }

    @Test
    void resizeToTheSameSizeIsTheIdentityAsInPillow() {
        // Pillow returns a copy when the size does not change (the reference case 32x32 -> 32x32 checks Pillow's side).
        float[] img = random(new SplittableRandom(3), 2 * 13 * 7, 255f);
        assertArrayEquals(img, PilBicubicResize.resize(img, 2, 13, 7, 13, 7));
    }

    @Property(tries = 200)
    void constantImageStaysConstant(@ForAll @FloatRange(min = 0, max = 255) float value,
                                    @ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                                    @ForAll @IntRange(min = 1, max = 90) int oh, @ForAll @IntRange(min = 1, max = 90) int ow) {
        float[] img = new float[h * w];
        java.util.Arrays.fill(img, value);
        // Normalised float64 weights: the sum is the value to within a float64 rounding, then rounded to float32.
        for (float v : PilBicubicResize.resize(img, 1, h, w, oh, ow)) {
            assertEquals(value, v, Math.ulp(value), h + "x" + w + " -> " + oh + "x" + ow);
        }
    }

    @Test
    void refusesBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> PilBicubicResize.resize(new float[6], 1, 2, 3, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> PilBicubicResize.resize(new float[5], 1, 2, 3, 4, 4));
    }

    static float[] random(SplittableRandom rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble() * scale;
        }
        return x;
    }
}
