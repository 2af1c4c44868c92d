package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
