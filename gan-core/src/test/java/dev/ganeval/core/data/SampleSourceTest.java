package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleSourceTest {
    @TempDir
    Path tmp;

    @Test
    void colourNpyReadsAsChannelPlanesWhicheverEndHoldsTheChannels() throws IOException {
        int n = 2, c = 3, h = 2, w = 4;
        byte[] hwc = new byte[n * h * w * c];
        float[] chw = new float[n * c * h * w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        int v = 1 + i * 100 + ch * 30 + y * 5 + x;
                        hwc[((i * h + y) * w + x) * c + ch] = (byte) v;
                        chw[((i * c + ch) * h + y) * w + x] = v / 255f;
                    }
                }
            }
        }
        Path last = tmp.resolve("nhwc.npy");
        Npy.write(last, NpyArray.ofUnsignedBytes(hwc, n, h, w, c));
        Path first = tmp.resolve("nchw.npy");
        Npy.write(first, NpyArray.ofFloats(chw, n, c, h, w));
        for (Path p : new Path[] {last, first}) {
            SampleSource s = SampleSource.parse(p.toString(), false);
            assertEquals(3, s.channels(), p.toString());
            assertEquals(2, s.height(), p.toString());
            assertEquals(4, s.width(), p.toString());
            FloatMatrix m = s.read();
            assertEquals(n, m.rows());
            assertArrayEquals(chw, m.data(), p.toString());
        }
    }

    @Test
    void grayChannelAndOtherRanksOfNpy() throws IOException {
        Path gray = tmp.resolve("gray.npy");
        Npy.write(gray, NpyArray.ofFloats(new float[5 * 6 * 7], 5, 6, 7, 1));
        SampleSource s = SampleSource.parse(gray.toString(), true);
        assertEquals(1, s.channels());
        assertEquals(6, s.height());
        assertEquals(7, s.width());
        Path odd = tmp.resolve("odd.npy");
        Npy.write(odd, NpyArray.ofFloats(new float[2 * 5 * 5 * 5], 2, 5, 5, 5));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SampleSource.parse(odd.toString(), false));
        assertTrue(e.getMessage().contains("odd.npy") && e.getMessage().contains("[2, 5, 5, 5]")
                && e.getMessage().contains("1 or 3 channels"), e.getMessage());
    }

    @Test
    void aFolderCountsItsImagesUpFrontAndDecodesThemABatchAtATime() throws IOException {
        for (int i = 0; i < 7; i++) {
            ImageFolderTest.png(tmp.resolve(String.format("%02d.png", i)), 5, 3, java.awt.image.BufferedImage.TYPE_INT_RGB, i);
        }
        SampleSource folder = SampleSource.parse(tmp.toString(), false);
        assertEquals(7, folder.rowCount());
        FloatMatrix all = folder.read();
        java.util.Iterator<FloatMatrix> batches = folder.batches(3);
        int[] sizes = new int[3];
        int done = 0;
        for (int b = 0; batches.hasNext(); b++) {
            FloatMatrix batch = batches.next();
            sizes[b] = batch.rows();
            assertArrayEquals(all.rowRange(done, done + batch.rows()).data(), batch.data());
            done += batch.rows();
        }
        assertArrayEquals(new int[] {3, 3, 1}, sizes);
        // Sources held in memory do not know their count before reading, and hand out slices of it.
        SampleSource rows = SampleSource.of(() -> all, 3, 3, 5, "rows");
        assertEquals(-1, rows.rowCount());
        java.util.Iterator<FloatMatrix> slices = rows.batches(4);
        assertArrayEquals(all.rowRange(0, 4).data(), slices.next().data());
        assertArrayEquals(all.rowRange(4, 7).data(), slices.next().data());
        assertTrue(!slices.hasNext());
        assertThrows(IllegalArgumentException.class, () -> rows.batches(0));
    }

    @Test
    void flatRowsTakeTheShapeOfImagesOfTheSameSizeOnly() {
        SampleSource rows = SampleSource.of(() -> new FloatMatrix(1, 12), 1, 1, 12, "rows");
        SampleSource images = SampleSource.of(() -> new FloatMatrix(1, 12), 3, 2, 2, "images");
        SampleSource shaped = rows.shapedLike(images);
        assertEquals(3, shaped.channels());
        assertEquals(2, shaped.height());
        assertEquals("rows", shaped.describe());
        assertSame(images, images.shapedLike(rows), "images keep their own shape");
        SampleSource other = SampleSource.of(() -> new FloatMatrix(1, 16), 1, 4, 4, "other");
        assertSame(rows, rows.shapedLike(other), "a different size is left for the caller to refuse");
    }
}
