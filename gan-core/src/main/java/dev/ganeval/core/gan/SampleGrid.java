package dev.ganeval.core.gan;

import dev.ganeval.core.linalg.FloatMatrix;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes samples (values in [0, 1]) as a grid PNG, one-pixel gaps between tiles — for people to look at. */
public final class SampleGrid {
    private SampleGrid() {}

    /**
     * The first {@code gridRows·gridCols} grayscale samples, row by row.
     *
     * @param samples at least {@code gridRows·gridCols} rows of {@code height·width} pixels
     */
    public static void write(FloatMatrix samples, int gridRows, int gridCols, int height, int width, Path png) throws IOException {
        if (samples.rows() < gridRows * gridCols) {
            throw new IllegalArgumentException("a " + gridRows + "x" + gridCols + " grid needs " + gridRows * gridCols
                    + " samples, got " + samples.rows());
        }
        paint(samples, gridRows * gridCols, gridRows, gridCols, 1, height, width, png);
    }

    /**
     * Every sample, in a grid as close to square as the count allows ({@code ⌈√n⌉} columns; the last row may be
     * short, its empty tiles black).
     *
     * @param samples rows of {@code channels·height·width} values, planar (all of channel 0, then channel 1, …);
     *                1 channel is gray, 3 are RGB
     */
    public static void writeAll(FloatMatrix samples, int channels, int height, int width, Path png) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("a grid shows 1 (gray) or 3 (RGB) channels, got " + channels);
        }
        int n = samples.rows();
        if (n < 1) {
            throw new IllegalArgumentException("no samples to show");
        }
        int cols = (int) Math.ceil(Math.sqrt(n));
        paint(samples, n, (n + cols - 1) / cols, cols, channels, height, width, png);
    }

    /**
     * The rows of {@code samples} as one PNG in memory, {@code columns} tiles a row (the last row may be short, its empty
     * tiles black), for pages that carry their pictures inline.
     *
     * @param samples rows of {@code channels·height·width} values in [0, 1], planar; 1 channel is gray, 3 are RGB
     */
    public static byte[] png(FloatMatrix samples, int columns, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("a grid shows 1 (gray) or 3 (RGB) channels, got " + channels);
        }
        int n = samples.rows();
        if (n < 1 || columns < 1) {
            throw new IllegalArgumentException("no samples to show");
        }
        int cols = Math.min(columns, n);
        BufferedImage img = image(samples, n, (n + cols - 1) / cols, cols, channels, height, width);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing a PNG in memory", e);
        }
        return out.toByteArray();
    }

    private static void paint(FloatMatrix samples, int count, int gridRows, int gridCols, int channels, int height, int width,
                              Path png) throws IOException {
        BufferedImage img = image(samples, count, gridRows, gridCols, channels, height, width);
        dev.ganeval.core.data.AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static BufferedImage image(FloatMatrix samples, int count, int gridRows, int gridCols, int channels, int height,
                                       int width) {
        if (samples.cols() != channels * height * width) {
            throw new IllegalArgumentException("samples have " + samples.cols() + " values, not " + channels + "x" + height
                    + "x" + width);
        }
        int gap = 1;
        BufferedImage img = new BufferedImage(gridCols * (width + gap) + gap, gridRows * (height + gap) + gap,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        var raster = img.getRaster();
        int plane = height * width;
        for (int s = 0; s < count; s++) {
            int left = gap + (s % gridCols) * (width + gap);
            int top = gap + (s / gridCols) * (height + gap);
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        float v = samples.get(s, c * plane + y * width + x);
                        raster.setSample(left + x, top + y, c, Math.round(Math.max(0f, Math.min(1f, v)) * 255f));
                    }
                }
            }
        }
        return img;
    }
}
