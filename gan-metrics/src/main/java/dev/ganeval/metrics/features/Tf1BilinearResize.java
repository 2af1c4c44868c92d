package dev.ganeval.metrics.features;

/**
 * Bilinear resampling of channel-planar images as TensorFlow 1's {@code tf.image.resize_bilinear} computes it with
 * {@code align_corners = False} and without half-pixel centers — the resize of the TTUR FID code and of
 * torch-fidelity, which reimplements it ({@code interpolate_bilinear_2d_like_tensorflow1x}, its exact "slow" method).
 *
 * <p>The mapping is asymmetric: destination index {@code d} reads the source coordinate
 * {@code s = d · float32(in / out)} (no +0.5 / −0.5), so the image is anchored at its top-left pixel and the last
 * rows and columns are never blended past. Its neighbours are {@code lo = ⌊s⌋} and {@code hi = min(lo + 1, in − 1)},
 * blended by {@code t = s − lo}: first along x for the upper and lower source rows, {@code a + (b − a)·t}, then along
 * y the same way. Everything is float32 in that order, so results agree with torch-fidelity's CPU values to float
 * rounding (checked against them in the tests). Resizing to the same size is the identity (every t is 0).
 *
 * <p>Cost: per output value four loads and nine flops (three lerps); the per-axis tables (two indices and one
 * fraction per output index) are built once per (input, output) length pair and cached. No antialiasing: when
 * downscaling, source pixels between the sampled ones are skipped, as in TensorFlow 1.
 */
public final class Tf1BilinearResize {
    /** One axis: for each output index the two source indices and the fraction of the second. */
    static final class Axis {
        final int[] lo;
        final int[] hi;
        final float[] frac;

        private Axis(int in, int out) {
            lo = new int[out];
            hi = new int[out];
            frac = new float[out];
            // torch-fidelity: the scale is the Python quotient in / out, made a float32 tensor.
            float scale = (float) ((double) in / out);
            for (int d = 0; d < out; d++) {
                float s = (float) d * scale;
                int l = Math.min((int) s, in - 1);
                lo[d] = l;
                hi[d] = Math.min(l + 1, in - 1);
                frac[d] = s - (float) l;
            }
        }
    }

    private static final AxisTables<Axis> AXES = new AxisTables<>(Axis::new);

    private Tf1BilinearResize() {}

    static Axis axis(int in, int out) {
        return AXES.get(in, out);
    }

    /**
     * @param src {@code channels × height × width} values, channel-planar (any range: TTUR and torch-fidelity
     *            resize 0..255 values)
     * @return {@code channels × outHeight × outWidth} values
     * @throws IllegalArgumentException if a size is not positive or {@code src} does not hold {@code C × H × W} values
     */
    public static float[] resize(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        return AxisTables.resizePlanes(src, channels, height, width, outHeight, outWidth, Tf1BilinearResize::resizePlane);
    }

    /**
     * One plane, from {@code src[srcOffset ..]} ({@code height × width}, row-major) into {@code dst[dstOffset ..]}
     * ({@code outHeight × outWidth}); allocates nothing once the axis tables are cached.
     */
    static void resizePlane(float[] src, int srcOffset, int height, int width,
                            float[] dst, int dstOffset, int outHeight, int outWidth) {
        Axis ax = axis(width, outWidth);
        Axis ay = axis(height, outHeight);
        int[] x0 = ax.lo;
        int[] x1 = ax.hi;
        float[] tx = ax.frac;
        for (int y = 0; y < outHeight; y++) {
            int r0 = srcOffset + ay.lo[y] * width;
            int r1 = srcOffset + ay.hi[y] * width;
            float ty = ay.frac[y];
            int o = dstOffset + y * outWidth;
            for (int x = 0; x < outWidth; x++) {
                float t = tx[x];
                float a = src[r0 + x0[x]];
                float b = src[r1 + x0[x]];
                float top = a + (src[r0 + x1[x]] - a) * t;
                float bottom = b + (src[r1 + x1[x]] - b) * t;
                dst[o + x] = top + (bottom - top) * ty;
            }
        }
    }
}
