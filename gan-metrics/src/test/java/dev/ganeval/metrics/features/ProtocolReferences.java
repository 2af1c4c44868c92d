package dev.ganeval.metrics.features;

import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The references testdata/make_protocol_references.py computed with Pillow 9.4, torch 1.13 and torch-fidelity's TF1
 * bilinear algorithm: uint8 images, resize cases, and each output on a subset of its rows. Run the tests with
 * {@code -Dganeval.test.verbose=true} to print the largest difference per case.
 */
final class ProtocolReferences {
    private static final Map<String, NpyArray> Z = Npy.readNpz(FeatureExtractionTest.reference("protocols.npz"));
    static final boolean VERBOSE = Boolean.getBoolean("ganeval.test.verbose");

    /** One case: image {@code image} resized to {@code outHeight × outWidth}; outputs hold only {@code rows}. */
    record Case(int index, int image, int channels, int height, int width, int outHeight, int outWidth, int[] rows) {
        /** The image's 8-bit values as floats 0..255, channel-planar. */
        float[] levels() {
            return Z.get("img_" + image).toFloats();
        }

        /** The image as ganeval reads an 8-bit file: {@code k / 255f}. */
        float[] unit() {
            float[] v = levels();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] / 255f;
            }
            return v;
        }

        boolean square() {
            return outHeight == outWidth;
        }

        boolean has(String output) {
            return Z.containsKey(output + "_" + index);
        }

        @Override
        public String toString() {
            return "case " + index + " (" + channels + "x" + height + "x" + width + " -> " + outHeight + "x" + outWidth + ")";
        }
    }

    /** A resize with {@code PilBicubicResize.resize}'s signature. */
    interface Resize {
        float[] resize(float[] src, int channels, int height, int width, int outHeight, int outWidth);
    }

    private ProtocolReferences() {}

    /** Checks {@code resize} of every case's 0..255 values against the reference {@code output}. */
    static void compareEveryCase(String output, Resize resize, double tolerance) {
        for (Case c : cases()) {
            float[] got = resize.resize(c.levels(), c.channels(), c.height(), c.width(), c.outHeight(), c.outWidth());
            compare(c, output, got, c.channels(), tolerance);
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (int n = 0; Z.containsKey("case_" + n); n++) {
            int[] c = Z.get("case_" + n).toInts();
            int[] shape = Z.get("img_" + c[0]).shape();
            cases.add(new Case(n, c[0], shape[0], shape[1], shape[2], c[1], c[2], Z.get("rows_" + n).toInts()));
        }
        return cases;
    }

    /**
     * Checks the reference rows of {@code output} for a case against {@code got} ({@code channels × outHeight ×
     * outWidth}, all rows) and returns the largest absolute difference.
     */
    static double compare(Case c, String output, float[] got, int channels, double tolerance) {
        float[] want = Z.get(output + "_" + c.index()).toFloats();
        int[] rows = c.rows();
        int w = c.outWidth();
        assertEquals((long) channels * rows.length * w, want.length, output + " " + c);
        assertEquals((long) channels * c.outHeight() * w, got.length, output + " " + c);
        double max = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int r = 0; r < rows.length; r++) {
                for (int x = 0; x < w; x++) {
                    float e = want[(ch * rows.length + r) * w + x];
                    float g = got[(ch * c.outHeight() + rows[r]) * w + x];
                    double d = Math.abs((double) e - g);
                    if (!(d <= tolerance)) {
                        fail(output + " " + c + ": channel " + ch + ", row " + rows[r] + ", column " + x + ": want " + e
                                + ", got " + g);
                    }
                    max = Math.max(max, d);
                }
            }
        }
        if (VERBOSE) {
            System.out.printf("%-6s %-36s max |diff| %.3g%n", output, c, max);
        }
        return max;
    }
}
