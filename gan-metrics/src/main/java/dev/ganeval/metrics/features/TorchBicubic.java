package dev.ganeval.metrics.features;

/**
 * PyTorch's {@code F.interpolate(x, scale_factor=(sh, sw), mode='bicubic', align_corners=False, antialias=False)} on
 * channel-planar float64 planes: what DINOv2 does to its position embeddings for a grid other than the one it was
 * trained on. Computed in float64 (PyTorch's float64 path; its float32 one differs in the 7th digit).
 *
 * <p>The facts, from PyTorch's CPU kernel: the output length along an axis is {@code trunc(in · scale)}; with a scale
 * factor given (and not recomputed), output index {@code o} reads source coordinate {@code (o + 0.5) / scale − 0.5}
 * — the ratio is {@code 1/scale}, not {@code in/out}; its integer part {@code i} and fraction {@code t} weight the taps
 * {@code i−1 … i+2} with Keys' cubic convolution at a = −0.75, each tap index clamped to the plane (the edge pixel
 * repeated, weights not renormalised); the two axes are separable.
 */
final class TorchBicubic {
    /** PyTorch's cubic coefficient (PIL's is −0.5). */
    static final double A = -0.75;

    private TorchBicubic() {}

    /** PyTorch's output length for {@code in} values scaled by {@code scale}. */
    static int outSize(int in, double scale) {
        return (int) (in * scale);
    }

    /**
     * {@code planes} planes of {@code inH × inW} values, row-major one after the other, resized by the two scale
     * factors; the result is {@code planes × outSize(inH, scaleH) × outSize(inW, scaleW)}.
     */
    static double[] resize(double[] in, int planes, int inH, int inW, double scaleH, double scaleW) {
        if (!(scaleH > 0) || !(scaleW > 0)) {
            throw new IllegalArgumentException("scale factors must be positive, got " + scaleH + " and " + scaleW);
        }
        int outH = outSize(inH, scaleH);
        int outW = outSize(inW, scaleW);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("a " + inH + "x" + inW + " plane scaled by " + scaleH + "x" + scaleW + " is empty");
        }
        int[][] rows = new int[outH][];
        double[][] rowWeights = new double[outH][];
        taps(inH, outH, scaleH, rows, rowWeights);
        int[][] cols = new int[outW][];
        double[][] colWeights = new double[outW][];
        taps(inW, outW, scaleW, cols, colWeights);
        double[] out = new double[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            int base = p * inH * inW;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    double sum = 0;
                    for (int j = 0; j < 4; j++) {
                        double row = 0;
                        int r = base + rows[oy][j] * inW;
                        for (int i = 0; i < 4; i++) {
                            row += colWeights[ox][i] * in[r + cols[ox][i]];
                        }
                        sum += rowWeights[oy][j] * row;
                    }
                    out[(p * outH + oy) * outW + ox] = sum;
                }
            }
        }
        return out;
    }

    private static void taps(int in, int out, double scale, int[][] index, double[][] weights) {
        double ratio = 1.0 / scale;
        for (int o = 0; o < out; o++) {
            double src = ratio * (o + 0.5) - 0.5;
            int i = Math.min((int) Math.floor(src), in - 1);
            double t = Math.min(Math.max(src - i, 0), 1);
            index[o] = new int[4];
            for (int k = 0; k < 4; k++) {
                index[o][k] = Math.min(Math.max(i - 1 + k, 0), in - 1);
            }
            weights[o] = new double[] {far(t + 1), near(t), near(1 - t), far(2 - t)};
        }
    }

    /** The cubic for |x| ≤ 1. */
    private static double near(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** The cubic for 1 < |x| < 2. */
    private static double far(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
