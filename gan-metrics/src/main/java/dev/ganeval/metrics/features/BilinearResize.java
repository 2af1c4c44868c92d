package dev.ganeval.metrics.features;

import java.util.Objects;

/**
 * Bilinear resampling of channel-planar images exactly as PyTorch's
 * {@code F.interpolate(x, size, mode='bilinear', align_corners=False)} without antialiasing — pytorch-fid's
 * resize to 299×299. A destination pixel d maps to the source coordinate {@code max(0, (d + 0.5)·in/out − 0.5)},
 * interpolating between its floor and the next pixel (clamped at the edge). The coordinate is float64 and the
 * interpolation float32, in the same order as PyTorch's CPU kernel, so results agree to float rounding (checked against torch in the tests).
 */
public final class BilinearResize {
    private BilinearResize() {}

    /**
     * @param src {@code channels × height × width} values, channel-planar
     * @return {@code channels × outHeight × outWidth} values
     */
    public static float[] resize(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        Objects.requireNonNull(src, "src");
        if (channels < 1 || height < 1 || width < 1 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (src.length != channels * height * width) {
            throw new IllegalArgumentException("image has " + src.length + " values, not " + channels + "x" + height + "x" + width);
        }
        // The source coordinate in float64 and only its fraction rounded to float32, as torch's CPU kernel does: a
        // float32 coordinate near 300 is good to 3e-5 of a pixel, which shows when downscaling large images.
        double scaleH = (float) height / outHeight;
        double scaleW = (float) width / outWidth;
        int[] x0 = new int[outWidth];
        int[] x1 = new int[outWidth];
        float[] lx = new float[outWidth];
        for (int x = 0; x < outWidth; x++) {
            double s = Math.max(0, scaleW * (x + 0.5) - 0.5);
            x0[x] = Math.min((int) s, width - 1);
            x1[x] = Math.min(x0[x] + 1, width - 1);
            lx[x] = x0[x] == width - 1 ? 0f : (float) (s - x0[x]);
        }
        float[] out = new float[channels * outHeight * outWidth];
        for (int c = 0; c < channels; c++) {
            int plane = c * height * width;
            int outPlane = c * outHeight * outWidth;
            for (int y = 0; y < outHeight; y++) {
                double s = Math.max(0, scaleH * (y + 0.5) - 0.5);
                int y0 = Math.min((int) s, height - 1);
                int y1 = Math.min(y0 + 1, height - 1);
                float ly = y0 == height - 1 ? 0f : (float) (s - y0);
                float hy = 1f - ly;
                int r0 = plane + y0 * width;
                int r1 = plane + y1 * width;
                int o = outPlane + y * outWidth;
                for (int x = 0; x < outWidth; x++) {
                    float l = lx[x];
                    float h = 1f - l;
                    out[o + x] = hy * (h * src[r0 + x0[x]] + l * src[r0 + x1[x]])
                            + ly * (h * src[r1 + x0[x]] + l * src[r1 + x1[x]]);
                }
            }
        }
        return out;
    }
}
