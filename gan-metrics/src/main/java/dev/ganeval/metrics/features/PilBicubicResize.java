package dev.ganeval.metrics.features;

/**
 * Pillow's bicubic resize of a float image ({@code Image.resize(size, Image.BICUBIC)} on a mode {@code 'F'} image),
 * one channel-planar plane at a time — clean-fid's "clean" resize. Matches Pillow 9.4 to the bit on the test cases.
 *
 * <p>What Pillow computes, and this class with it:
 * <ul>
 *   <li>The filter is Keys' cubic convolution with a = −0.5 and support 2. Along an axis of {@code in} pixels
 *       resized to {@code out}, {@code scale = in / out} (float64); when downscaling (scale &gt; 1) the filter is
 *       stretched by the scale, so its support becomes {@code 2·scale} input pixels (antialiasing); when upscaling
 *       it stays 2.</li>
 *   <li>Output pixel {@code i} is centred on {@code c = (i + 0.5)·scale}; it reads the input pixels
 *       {@code ⌊c − support + 0.5⌋ ..< ⌊c + support + 0.5⌋} (truncated, then clamped to the image: edge pixels are
 *       dropped, not repeated), each weighted by {@code cubic((j − c + 0.5) / max(scale, 1))}; the weights are then
 *       divided by their sum (float64), so a constant image stays constant, edges included.</li>
 *   <li>Two passes, each summing value·weight in float64 in source order and storing the result as float32:
 *       horizontal first (only over the rows the vertical pass reads), then vertical. A pass whose axis keeps its
 *       length is skipped, and a resize to the same size returns a copy — the identity.</li>
 * </ul>
 * Values are not clipped (the cubic overshoots near edges in the image); the caller clips where its protocol does.
 *
 * <p>Cost: the horizontal pass does {@code rows × outWidth × kx} multiply-adds, the vertical pass
 * {@code outHeight × outWidth × ky}, where {@code k ≈ 4·max(1, in/out)} taps per output pixel: about 8 per output
 * value upscaling 32×32 to 299×299 (plus the 32-row horizontal pass), about 16 downscaling 512×384 to 299×299.
 * Coefficient tables (float64, {@code out × k}) are built once per (input, output) length pair and cached; a call
 * allocates the output, one float32 intermediate plane and one float64 row of accumulators.
 */
public final class PilBicubicResize {
    /** One axis: for each output index the first source index, the tap count and the normalised weights. */
    static final class Axis {
        final int[] first;
        final int[] count;
        /** {@code out × stride} weights, row i holding output i's taps from index 0. */
        final double[] weights;
        final int stride;

        private Axis(int in, int out) {
            // Pillow computes the scale from the float box (0, in): in - 0 as float, exact for any int size we take.
            double scale = (double) (float) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = 2.0 * filterScale;
            double inverse = 1.0 / filterScale;
            stride = (int) Math.ceil(support) * 2 + 1;
            first = new int[out];
            count = new int[out];
            weights = new double[out * stride];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), in);
                int n = hi - lo;
                int w0 = i * stride;
                double sum = 0.0;
                for (int j = 0; j < n; j++) {
                    double w = cubic((j + lo - center + 0.5) * inverse);
                    weights[w0 + j] = w;
                    sum += w;
                }
                if (sum != 0.0) {
                    for (int j = 0; j < n; j++) {
                        weights[w0 + j] /= sum;
                    }
                }
                first[i] = lo;
                count[i] = n;
            }
        }
    }

    private static final AxisTables<Axis> AXES = new AxisTables<>(Axis::new);

    private PilBicubicResize() {}

    static Axis axis(int in, int out) {
        return AXES.get(in, out);
    }

    /**
     * Keys' cubic kernel with a = −0.5, evaluated in Pillow's operation order (so the weights agree to the bit):
     * {@code (1.5|x| − 2.5)·x² + 1} inside 1, {@code −0.5·(((|x| − 5)·|x| + 8)·|x| − 4)} inside 2, else 0.
     */
    static double cubic(double x) {
        double ax = Math.abs(x);
        if (ax < 1.0) {
            return (1.5 * ax - 2.5) * ax * ax + 1;
        }
        if (ax < 2.0) {
            return (((ax - 5) * ax + 8) * ax - 4) * -0.5;
        }
        return 0.0;
    }

    /**
     * @param src {@code channels × height × width} values, channel-planar (clean-fid resizes 0..255 values)
     * @return {@code channels × outHeight × outWidth} values, each plane resized on its own
     * @throws IllegalArgumentException if a size is not positive or {@code src} does not hold {@code C × H × W} values
     */
    public static float[] resize(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        return AxisTables.resizePlanes(src, channels, height, width, outHeight, outWidth, PilBicubicResize::resizePlane);
    }

    /** Fractional bits of Pillow's fixed-point coefficients for 8-bit images ({@code PRECISION_BITS}). */
    static final int PRECISION_BITS = 32 - 8 - 2;

    /**
     * Pillow's bicubic resize of an 8-bit image ({@code Image.resize(size, Image.BICUBIC)} on a mode {@code L} or
     * {@code RGB} image: what torchvision's {@code Resize} does to a PIL image, as dgm-eval and CLIP's preprocessing use
     * it). The same taps and normalised weights as {@link #resize}, then as Pillow's 8-bit path: each weight turned into
     * a fixed-point integer of {@value #PRECISION_BITS} fractional bits (rounded half away from zero), each output a sum
     * of pixel × weight from {@code 2^(PRECISION_BITS−1)} (rounding), shifted back and clipped to 0..255 — after the
     * horizontal pass too, whose result is an 8-bit image.
     *
     * @param src {@code channels × height × width} integer values 0..255 (as floats), channel-planar
     * @return the resized values, integers 0..255
     * @throws IllegalArgumentException if a value is not an integer in 0..255, or as {@link #resize}
     */
    public static float[] resize8bit(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
        for (int i = 0; i < src.length; i++) {
            float v = src[i];
            if (!(v >= 0 && v <= 255 && v == Math.rint(v))) {
                throw new IllegalArgumentException("an 8-bit image holds integers 0..255, got " + v + " at " + i);
            }
        }
        return AxisTables.resizePlanes(src, channels, height, width, outHeight, outWidth, PilBicubicResize::resizePlane8bit);
    }

    static void resizePlane8bit(float[] src, int srcOffset, int height, int width,
                                float[] dst, int dstOffset, int outHeight, int outWidth) {
        twoPasses(src, srcOffset, height, width, dst, dstOffset, outHeight, outWidth,
                (in, inOffset, w, rowStart, rowEnd, ax, out, outOffset, ow) ->
                        pass8bit(in, inOffset, 1, w, rowStart, rowEnd, ax, out, outOffset - rowStart * ow, ow, 1, ow),
                // The vertical pass as a horizontal one over columns: taps step a row, outputs step a row, lines are columns.
                (rows, rowsOffset, w, firstRow, ay, out, outOffset, oh) ->
                        pass8bit(rows, rowsOffset - firstRow * w, w, 1, 0, w, ay, out, outOffset, oh, w, 1));
    }

    /**
     * One 8-bit pass along an axis: for each line {@code l} in {@code [lineStart, lineEnd)} (starting at {@code src[offset
     * + l·lineStep]}, taps {@code tapStep} apart), output {@code i} goes to {@code dst[dstOffset + i·outStep + l·outLine]}.
     */
    private static void pass8bit(float[] src, int offset, int tapStep, int lineStep, int lineStart, int lineEnd, Axis a,
                                 float[] dst, int dstOffset, int out, int outStep, int outLine) {
        int[] k = new int[a.weights.length];
        for (int i = 0; i < k.length; i++) {
            double w = a.weights[i] * (1 << PRECISION_BITS);
            k[i] = (int) (w < 0 ? -0.5 + w : 0.5 + w);
        }
        for (int l = lineStart; l < lineEnd; l++) {
            int line = offset + l * lineStep;
            for (int i = 0; i < out; i++) {
                int s = line + a.first[i] * tapStep;
                int kk = i * a.stride;
                int sum = 1 << (PRECISION_BITS - 1);
                for (int j = 0, n = a.count[i]; j < n; j++) {
                    sum += (int) src[s + j * tapStep] * k[kk + j];
                }
                dst[dstOffset + i * outStep + l * outLine] = clip8(sum);
            }
        }
    }

    private static int clip8(int sum) {
        if (sum >= (1 << PRECISION_BITS) * 255) {
            return 255;
        }
        return sum <= 0 ? 0 : sum >> PRECISION_BITS;
    }

    /**
     * One plane, from {@code src[srcOffset ..]} ({@code height × width}, row-major) into {@code dst[dstOffset ..]}
     * ({@code outHeight × outWidth}).
     */
    static void resizePlane(float[] src, int srcOffset, int height, int width,
                            float[] dst, int dstOffset, int outHeight, int outWidth) {
        twoPasses(src, srcOffset, height, width, dst, dstOffset, outHeight, outWidth, PilBicubicResize::horizontalPass,
                PilBicubicResize::verticalPass);
    }

    /** A pass along x: source rows {@code [rowStart, rowEnd)} into consecutive rows of {@code dst}. */
    @FunctionalInterface
    private interface HorizontalPass {
        void run(float[] src, int srcOffset, int width, int rowStart, int rowEnd, Axis ax, float[] dst, int dstOffset, int outWidth);
    }

    /** A pass along y over rows whose row 0 is source row {@code firstRow}. */
    @FunctionalInterface
    private interface VerticalPass {
        void run(float[] rows, int rowsOffset, int width, int firstRow, Axis ay, float[] dst, int dstOffset, int outHeight);
    }

    /**
     * Pillow's order: the horizontal pass first, over only the source rows the vertical pass reads, then the vertical
     * pass; an axis that keeps its length is not resampled.
     */
    private static void twoPasses(float[] src, int srcOffset, int height, int width, float[] dst, int dstOffset,
                                  int outHeight, int outWidth, HorizontalPass h, VerticalPass v) {
        boolean horizontal = outWidth != width;
        boolean vertical = outHeight != height;
        if (!horizontal && !vertical) {
            System.arraycopy(src, srcOffset, dst, dstOffset, height * width);
            return;
        }
        if (!vertical) {
            h.run(src, srcOffset, width, 0, height, axis(width, outWidth), dst, dstOffset, outWidth);
            return;
        }
        Axis ay = axis(height, outHeight);
        float[] rows = src;
        int rowsOffset = srcOffset;
        int firstRow = 0;
        int rowWidth = width;
        if (horizontal) {
            // Only the source rows the vertical pass reads.
            firstRow = ay.first[0];
            int endRow = ay.first[outHeight - 1] + ay.count[outHeight - 1];
            rows = new float[(endRow - firstRow) * outWidth];
            h.run(src, srcOffset, width, firstRow, endRow, axis(width, outWidth), rows, 0, outWidth);
            rowsOffset = 0;
            rowWidth = outWidth;
        }
        v.run(rows, rowsOffset, rowWidth, firstRow, ay, dst, dstOffset, outHeight);
    }

    /** Source rows {@code [rowStart, rowEnd)} resampled along x into consecutive rows of {@code dst}. */
    private static void horizontalPass(float[] src, int srcOffset, int width, int rowStart, int rowEnd, Axis ax,
                                       float[] dst, int dstOffset, int outWidth) {
        int[] first = ax.first;
        int[] count = ax.count;
        double[] w = ax.weights;
        int stride = ax.stride;
        for (int r = rowStart; r < rowEnd; r++) {
            int row = srcOffset + r * width;
            int o = dstOffset + (r - rowStart) * outWidth;
            for (int x = 0; x < outWidth; x++) {
                int s = row + first[x];
                int k = x * stride;
                double sum = 0.0;
                for (int j = 0, n = count[x]; j < n; j++) {
                    sum += src[s + j] * w[k + j];
                }
                dst[o + x] = (float) sum;
            }
        }
    }

    /**
     * Rows of {@code rows} ({@code width} wide; its row 0 is source row {@code firstRow}) resampled along y. Taps
     * outer, columns inner, into a float64 accumulator row: the same sum order per pixel as Pillow's, read row-wise.
     */
    private static void verticalPass(float[] rows, int rowsOffset, int width, int firstRow, Axis ay,
                                     float[] dst, int dstOffset, int outHeight) {
        double[] acc = new double[width];
        double[] w = ay.weights;
        for (int y = 0; y < outHeight; y++) {
            java.util.Arrays.fill(acc, 0.0);
            int k = y * ay.stride;
            int r0 = rowsOffset + (ay.first[y] - firstRow) * width;
            for (int j = 0, n = ay.count[y]; j < n; j++) {
                double wj = w[k + j];
                int r = r0 + j * width;
                for (int x = 0; x < width; x++) {
                    acc[x] += rows[r + x] * wj;
                }
            }
            int o = dstOffset + y * width;
            for (int x = 0; x < width; x++) {
                dst[o + x] = (float) acc[x];
            }
        }
    }
}
