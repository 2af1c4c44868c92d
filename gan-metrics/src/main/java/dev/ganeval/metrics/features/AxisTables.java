package dev.ganeval.metrics.features;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small thread-safe cache of per-axis resampling tables, one per (input length, output length) pair, so a resize
 * builds its index and weight tables once however many images it processes. The tables are immutable once built and
 * shared between threads. Bounded: past {@value #MAX_ENTRIES} pairs the cache is emptied (a run uses a handful).
 *
 * @param <T> the table type of one resize
 */
final class AxisTables<T> {
    /** Builds the table for one axis from its input and output lengths. */
    interface Builder<T> {
        T build(int in, int out);
    }

    /** Resizes one {@code height × width} plane at {@code src[srcOffset ..]} into {@code dst[dstOffset ..]}. */
    interface PlaneResize {
        void resizePlane(float[] src, int srcOffset, int height, int width, float[] dst, int dstOffset, int outHeight, int outWidth);
    }

    static final int MAX_ENTRIES = 64;
    private final ConcurrentHashMap<Long, T> tables = new ConcurrentHashMap<>();
    private final Builder<T> builder;

    AxisTables(Builder<T> builder) {
        this.builder = Objects.requireNonNull(builder, "builder");
    }

    T get(int in, int out) {
        long key = ((long) in << 32) | (out & 0xFFFF_FFFFL);
        T t = tables.get(key);
        if (t == null) {
            if (tables.size() >= MAX_ENTRIES) {
                tables.clear();
            }
            t = tables.computeIfAbsent(key, k -> builder.build(in, out));
        }
        return t;
    }

    /** Checks the arguments and resizes each of the {@code channels} planes into a new array. */
    static float[] resizePlanes(float[] src, int channels, int height, int width, int outHeight, int outWidth, PlaneResize resize) {
        check(src, channels, height, width, outHeight, outWidth);
        float[] out = new float[channels * outHeight * outWidth];
        resizePlanes(src, channels, height, width, out, outHeight, outWidth, resize);
        return out;
    }

    /** Resizes each of the {@code channels} planes of {@code src} into the first planes of {@code dst}. */
    static void resizePlanes(float[] src, int channels, int height, int width, float[] dst, int outHeight, int outWidth,
                             PlaneResize resize) {
        for (int c = 0; c < channels; c++) {
            resize.resizePlane(src, c * height * width, height, width, dst, c * outHeight * outWidth, outHeight, outWidth);
        }
    }

    /**
     * Checks a channel-planar image and a target size as the resizes take them.
     *
     * @throws IllegalArgumentException if a size is not positive or the array does not hold {@code C × H × W} values
     */
    static void check(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        Objects.requireNonNull(src, "src");
        if (channels < 1 || height < 1 || width < 1 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + channels + "x" + height + "x" + width
                    + " to " + outHeight + "x" + outWidth);
        }
        if ((long) channels * height * width != src.length) {
            throw new IllegalArgumentException("image has " + src.length + " values, not " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * outHeight * outWidth > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("output " + channels + "x" + outHeight + "x" + outWidth + " is too large for one array");
        }
    }
}
