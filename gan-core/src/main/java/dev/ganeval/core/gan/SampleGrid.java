package dev.ganeval.core.gan;

import dev.ganeval.core.linalg.FloatMatrix;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes samples (grayscale, values in [0, 1]) as a grid PNG, one-pixel gaps between tiles — for people to look at. */
public final class SampleGrid {
    private SampleGrid() {}

    /**
     * @param samples at least {@code gridRows·gridCols} rows of {@code height·width} pixels
     */
    public static void write(FloatMatrix samples, int gridRows, int gridCols, int height, int width, Path png) throws IOException {
        if (samples.cols() != height * width) {
            throw new IllegalArgumentException("samples have " + samples.cols() + " values, not " + height + "x" + width);
        }
        if (samples.rows() < gridRows * gridCols) {
            throw new IllegalArgumentException("a " + gridRows + "x" + gridCols + " grid needs " + gridRows * gridCols
                    + " samples, got " + samples.rows());
        }
        int gap = 1;
        BufferedImage img = new BufferedImage(gridCols * (width + gap) + gap, gridRows * (height + gap) + gap,
                BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int r = 0; r < gridRows; r++) {
            for (int c = 0; c < gridCols; c++) {
                int s = r * gridCols + c;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        float v = samples.get(s, y * width + x);
                        int g = Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
                        raster.setSample(gap + c * (width + gap) + x, gap + r * (height + gap) + y, 0, g);
                    }
                }
            }
        }
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }
}
