package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleImagesTest {
    /** A side shorter than the shrink factor: blocks are cut at the image's edge, not read from the next row. */
    @Test
    void aVeryElongatedImageIsShrunkWithinItsOwnPixels() {
        int h = 2;
        int w = 300;                       // factor ceil(300 / 64) = 5: a 1 × 60 picture from 2 × 5 blocks
        FloatMatrix batch = new FloatMatrix(2, h * w);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < h * w; i++) {
                batch.set(s, i, s == 0 ? (i < w ? 0.2f : 0.6f) : 1f);
            }
        }
        SampleImages.Collector c = SampleImages.Collector.forGeometry(1, h, w);
        c.add(batch);
        SampleImages images = c.build();
        assertEquals(1, images.height());
        assertEquals(60, images.width());
        FloatMatrix back = images.rows(0, 1);
        for (int x = 0; x < 60; x++) {
            assertEquals(Math.round(0.4f * 255) / 255f, back.get(0, x), 1e-6f);   // the mean of a 0.2 row and a 0.6 row
            assertEquals(1f, back.get(1, x), 0f);
        }
    }

    /** The cap on a side's pictures: reached exactly is fine, one picture more is a clear error naming the way out. */
    @Test
    void theCapOnASidesPicturesAdmitsItsLastPictureAndRefusesTheNext() {
        int len = 3 * 2 * 2;                                  // 12 bytes a colour picture of 2 × 2
        SampleImages.Collector c = SampleImages.Collector.forGeometry(3, 2, 2, 10L * len);
        for (int b = 0; b < 3; b++) {                         // batches of 4, 4 and 2 rows: exactly 10 pictures
            int n = b < 2 ? 4 : 2;
            FloatMatrix batch = new FloatMatrix(n, len);
            for (int r = 0; r < n; r++) {
                for (int v = 0; v < len; v++) {
                    batch.set(r, v, ((b * 4 + r) * len + v) % 256 / 255f);
                }
            }
            c.add(batch);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.add(new FloatMatrix(1, len)));
        assertTrue(e.getMessage().contains("at most 10 a side (120 bytes)") && e.getMessage().contains("--limit"),
                e.getMessage());
        SampleImages images = c.build();
        assertEquals(10, images.rows());
        org.junit.jupiter.api.Assertions.assertArrayEquals(images.pixels(), c.build().pixels(), "a second build, the same");
        FloatMatrix back = images.rows(0, 5, 9);              // the batches joined in order, the refused one left out
        int[] rows = {0, 5, 9};
        for (int k = 0; k < rows.length; k++) {
            for (int v = 0; v < len; v++) {
                assertEquals((rows[k] * len + v) % 256 / 255f, back.get(k, v), 1e-6f);
            }
        }
    }
}
