package dev.ganeval.metrics.features;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Tf1BilinearResizeTest {
    /** torch-fidelity's interpolate_bilinear_2d_like_tensorflow1x algorithm, in torch float32, on 0..255 values. */
    @Test
    void matchesTorchFidelitysTf1Bilinear() {
        ProtocolReferences.compareEveryCase("tf1", Tf1BilinearResize::resize, 1e-5);
    }

    @Test
    void mapsWithoutHalfPixelOffset() {
        // 2 -> 4: sources 0, 0.5, 1, 1.5; the last clamps to pixel 1 (TF1's asymmetric mapping), unlike torch's.
        float[] got = Tf1BilinearResize.resize(new float[] {0f, 8f}, 1, 1, 2, 1, 4);
        assertArrayEquals(new float[] {0f, 4f, 8f, 8f}, got);
    }

    @Property(tries = 100)
    void resizeToTheSameSizeIsTheIdentity(@ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                                          @ForAll long seed) {
        float[] img = PilBicubicResizeTest.random(new SplittableRandom(seed), 2 * h * w, 255f);
        assertArrayEquals(img, Tf1BilinearResize.resize(img, 2, h, w, h, w));
    }

    @Property(tries = 200)
    void constantImageStaysConstant(@ForAll @FloatRange(min = 0, max = 255) float value,
                                    @ForAll @IntRange(min = 1, max = 40) int h, @ForAll @IntRange(min = 1, max = 40) int w,
                                    @ForAll @IntRange(min = 1, max = 90) int oh, @ForAll @IntRange(min = 1, max = 90) int ow) {
        float[] img = new float[h * w];
        Arrays.fill(img, value);
        for (float v : Tf1BilinearResize.resize(img, 1, h, w, oh, ow)) {
            assertEquals(value, v, 0f, h + "x" + w + " -> " + oh + "x" + ow); // a + (a − a)·t is a, exactly
        }
    }

    @Test
    void refusesBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> Tf1BilinearResize.resize(new float[6], 1, 2, 3, 4, -1));
        assertThrows(IllegalArgumentException.class, () -> Tf1BilinearResize.resize(new float[7], 1, 2, 3, 4, 4));
    }
}
