package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Objects;

/**
 * Every sample of one side as an 8-bit picture for people to look at (a report's grids and neighbours), kept while the
 * side is read: one byte a value, planar as the samples. Images larger than {@value #MAX_SIDE} pixels on a side are
 * shrunk by a whole factor (the mean of each block), so memory stays at most {@code n·channels·64·64} bytes: 7.8 MB for
 * 10,000 MNIST digits, 600 MB for 50,000 colour images of 64 pixels or more. Immutable.
 *
 * @param channels 1 (gray) or 3 (RGB); other channel counts are not kept
 */
public record SampleImages(int channels, int height, int width, int rows, byte[] pixels) {
    /** The largest side a kept picture has. */
    public static final int MAX_SIDE = 64;
    /** The most picture bytes kept for one side (1 GiB: 87,000 colour pictures of 64 × 64). */
    public static final long MAX_BYTES = 1L << 30;

    public SampleImages {
        Objects.requireNonNull(pixels, "pixels");
        if ((long) rows * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " values, not " + rows + "x" + channels + "x"
                    + height + "x" + width);
        }
        pixels = pixels.clone();
    }

    @Override
    public byte[] pixels() {
        return pixels.clone();
    }

    /** The pictures of the given rows, in that order, as values in [0, 1] ({@link dev.ganeval.core.gan.SampleGrid}'s input). */
    public FloatMatrix rows(int... indices) {
        int len = channels * height * width;
        FloatMatrix out = new FloatMatrix(indices.length, len);
        float[] d = out.data();
        for (int r = 0; r < indices.length; r++) {
            Objects.checkIndex(indices[r], rows);
            int from = indices[r] * len;
            for (int v = 0; v < len; v++) {
                d[r * len + v] = (pixels[from + v] & 0xff) / 255f;
            }
        }
        return out;
    }

    /** Gathers the pictures of a side batch by batch. */
    static final class Collector {
        private final int channels;
        private final int height;
        private final int width;
        private final int factor;
        private final int srcHeight;
        private final int srcWidth;
        private final long maxBytes;
        /** One array a batch, joined once at the end (a growing stream would hold up to twice the pictures and copy them). */
        private final java.util.List<byte[]> batches = new java.util.ArrayList<>();
        private int rows;

        /** A collector for samples of this geometry, or null when pictures of it are not kept (not 1 or 3 channels). */
        static Collector forGeometry(int channels, int height, int width) {
            return forGeometry(channels, height, width, MAX_BYTES);
        }

        /** As {@link #forGeometry(int, int, int)} with at most {@code maxBytes} of pictures. */
        static Collector forGeometry(int channels, int height, int width, long maxBytes) {
            return channels == 1 && height > 1 || channels == 3 ? new Collector(channels, height, width, maxBytes) : null;
        }

        private Collector(int channels, int height, int width, long maxBytes) {
            this.maxBytes = maxBytes;
            this.channels = channels;
            this.factor = Math.max(1, (Math.max(height, width) + MAX_SIDE - 1) / MAX_SIDE);
            this.height = Math.max(1, height / factor);
            this.width = Math.max(1, width / factor);
            this.srcHeight = height;
            this.srcWidth = width;
        }

        /**
         * Adds a batch of samples (values in [0, 1], rows of channels·height·width).
         *
         * @throws InvalidInputException when the pictures would pass the collector's cap ({@link #MAX_BYTES} unless given)
         */
        void add(FloatMatrix batch) {
            int len = channels * height * width;
            if ((long) (rows + batch.rows()) * len > maxBytes) {
                throw new dev.ganeval.core.InvalidInputException("a report keeps every sample's picture (" + len
                        + " bytes each), at most " + (maxBytes / len) + " a side (" + sizeOf(maxBytes) + "), and this "
                        + "side has more: score fewer samples (--limit, --n) or drop --html");
            }
            byte[] out = new byte[batch.rows() * len];
            int srcPlane = srcHeight * srcWidth;
            for (int s = 0; s < batch.rows(); s++) {
                int base = s * batch.cols();
                float[] x = batch.data();
                int at = s * len;
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < height; y++) {
                        for (int xx = 0; xx < width; xx++) {
                            // The block's pixels inside the image: a side shorter than the factor has fewer.
                            int ys = Math.min(factor, srcHeight - y * factor);
                            int xs = Math.min(factor, srcWidth - xx * factor);
                            float sum = 0;
                            for (int dy = 0; dy < ys; dy++) {
                                int off = base + c * srcPlane + (y * factor + dy) * srcWidth + xx * factor;
                                for (int dx = 0; dx < xs; dx++) {
                                    sum += x[off + dx];
                                }
                            }
                            float v = Math.max(0f, Math.min(1f, sum / (ys * xs)));
                            out[at++] = (byte) Math.round(v * 255f);
                        }
                    }
                }
            }
            batches.add(out);
            rows += batch.rows();
        }

        /** The pictures so far; the batches are joined into one array, kept for later batches and builds. */
        SampleImages build() {
            byte[] all = new byte[Math.toIntExact((long) rows * channels * height * width)];
            int at = 0;
            for (byte[] b : batches) {
                System.arraycopy(b, 0, all, at, b.length);
                at += b.length;
            }
            batches.clear();
            batches.add(all);
            return new SampleImages(channels, height, width, rows, all);
        }

        private static String sizeOf(long bytes) {
            return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes + " bytes";
        }
    }
}
