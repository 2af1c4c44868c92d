package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The three ways published FID code turns an image into the Inception network's input: how it is resized to
 * {@code S × S} (299 for Inception-v3) and scaled to about [−1, 1]. The same weights give different FIDs under
 * different protocols, so a report names the one it used ({@link #name()}).
 *
 * <p>Every protocol takes one image as ganeval holds it — {@code C × H × W} values in [0, 1], channel-planar,
 * {@code C} = 1 or 3; an 8-bit file's value {@code k} is held as {@code k / 255f} — and returns the
 * {@code 3 × S × S} network input (a gray image is replicated to three channels; it is resized once).
 * <ul>
 *   <li>{@link #PYTORCH_FID} ({@code pytorch-fid}, also clean-fid's "legacy_pytorch"): PyTorch's bilinear resize of
 *       the [0, 1] values ({@link BilinearResize}: align_corners = False, no antialiasing), then {@code 2x − 1}.
 *       This is what {@link OnnxFeatureExtractor} does.</li>
 *   <li>{@link #TF} ({@code tf}: the TTUR reference code, torch-fidelity, clean-fid's "legacy_tensorflow"): the
 *       pixels are quantised to the 8-bit values the image file holds, {@code round(x·255)} (halves rounded up; for
 *       values read from an 8-bit file, {@code k / 255f}, this gives back {@code k} exactly), resized as float by
 *       TensorFlow 1's bilinear ({@link Tf1BilinearResize}: no half-pixel offset, no antialiasing), then
 *       {@code (x − 128) / 128}. Those tools take uint8 images, so a [0, 1] image between the 8-bit levels is
 *       quantised first, as saving it to a PNG for them would.</li>
 *   <li>{@link #CLEAN} ({@code clean}: clean-fid's default): the pixels scaled to 0..255 as float32 ({@code x·255},
 *       again exactly {@code k} for 8-bit files; other values are not quantised), each channel resized by Pillow's
 *       bicubic on a float image ({@link PilBicubicResize}, antialiased when downscaling), clipped to [0, 255],
 *       then {@code (x − 128) / 128}.</li>
 * </ul>
 * All three are float32 throughout and agree with the Python tools to about 1e-6 on the network input (checked in
 * the tests against torch, Pillow and torch-fidelity's algorithm).
 *
 * <p>Cost per image, for {@code S = 299}: one resize per distinct channel (see each resize's note: bilinear is a few
 * flops per output value, Pillow's bicubic 8–16 multiply-adds), plus one pass for the scaling. The resize tables are
 * cached per (input, output) size pair; a call allocates its output and the resize's work planes. Instances are
 * stateless singletons, safe to share between threads.
 */
public abstract sealed class InceptionProtocol {
    /** Inception-v3's input size. */
    public static final int DEFAULT_SIZE = 299;

    /** pytorch-fid: PyTorch bilinear on [0, 1], then {@code 2x − 1}. */
    public static final InceptionProtocol PYTORCH_FID = new PytorchFid();
    /** TTUR / torch-fidelity: 8-bit values, TensorFlow 1 bilinear, then {@code (x − 128) / 128}. */
    public static final InceptionProtocol TF = new Levels("tf", true, Tf1BilinearResize::resizePlane, false);
    /** clean-fid "clean": 0..255 floats, Pillow bicubic per channel, clipped to [0, 255], then {@code (x − 128) / 128}. */
    public static final InceptionProtocol CLEAN = new Levels("clean", false, PilBicubicResize::resizePlane, true);

    /**
     * dgm-eval's preprocessing for DINOv2 (Stein et al. 2023): the 8-bit levels, Pillow's 8-bit bicubic resize to
     * {@code S × S} ({@link PilBicubicResize#resize8bit}: torchvision's {@code Resize((224, 224), BICUBIC)} on a PIL
     * image, aspect ratio not kept, no crop), {@code /255} (ToTensor), then each channel's ImageNet mean subtracted and
     * divided by its standard deviation (Normalize), in float32. Not one of Inception's protocols: {@link #parse} and
     * {@link #values} leave it out.
     */
    public static final InceptionProtocol DGM_EVAL = new ImageNetNormalised("dgm-eval", false,
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    /**
     * CMMD's reference preprocessing for CLIP (google-research's {@code cmmd/io_util.py}): the 8-bit levels cropped to
     * the centred square of the shorter side (offsets {@code (h − l) // 2}, {@code (w − l) // 2}), Pillow's 8-bit
     * bicubic to {@code S × S}, {@code /255}, then CLIP's mean and standard deviation per channel, in float32. (Hugging
     * Face's CLIP processor resizes the shorter side first and crops after; for square images the two agree.)
     */
    public static final InceptionProtocol CMMD = new ImageNetNormalised("cmmd", true,
            new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f});

    private static final List<InceptionProtocol> ALL = List.of(PYTORCH_FID, TF, CLEAN);

    private InceptionProtocol() {}

    /** The three protocols, pytorch-fid first. */
    public static List<InceptionProtocol> values() {
        return ALL;
    }

    /** The names {@link #parse} accepts: {@code [pytorch-fid, tf, clean]}. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(ALL.size());
        for (InceptionProtocol p : ALL) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * The protocol of a name as reports print it ({@code pytorch-fid}, {@code tf}, {@code clean}); case is ignored.
     *
     * @throws InvalidInputException for any other name, listing the known ones
     */
    public static InceptionProtocol parse(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (InceptionProtocol p : ALL) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new InvalidInputException("unknown preprocessing protocol '" + name + "'; known: " + String.join(", ", names()));
    }

    /** The label used in reports and accepted by {@link #parse}: {@code pytorch-fid}, {@code tf} or {@code clean}. */
    public abstract String name();

    /**
     * The protocol with its resize and input size, as feature tags carry it: {@code pytorch-fid-bilinear-299} (the tag
     * ganeval has always written for it), {@code tf-bilinear-299}, {@code clean-bicubic-299}.
     */
    public String label(int size) {
        return name() + (this == CLEAN || this == DGM_EVAL || this == CMMD ? "-bicubic-" : "-bilinear-") + size;
    }

    @Override
    public String toString() {
        return name();
    }

    /** As {@link #apply(float[], int, int, int, int)} to Inception-v3's {@value #DEFAULT_SIZE} × {@value #DEFAULT_SIZE}. */
    public final float[] apply(float[] image, int channels, int height, int width) {
        return apply(image, channels, height, width, DEFAULT_SIZE);
    }

    /**
     * The network input for one image.
     *
     * @param image    {@code channels × height × width} values in [0, 1], channel-planar
     * @param channels 1 (gray, replicated to RGB) or 3
     * @param size     the network's square input size S
     * @return {@code 3 × size × size} values, channel-planar
     * @throws InvalidInputException if the channel count is not 1 or 3, a size is not positive, the array does not
     *                               hold {@code C × H × W} values, or a value is outside [0, 1] or NaN (naming it)
     */
    public final float[] apply(float[] image, int channels, int height, int width, int size) {
        Objects.requireNonNull(image, "image");
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("images must have 1 or 3 channels, got " + channels);
        }
        if (height < 1 || width < 1 || size < 1) {
            throw new InvalidInputException("image sizes and the network input size must be positive: " + height + "x"
                    + width + " to " + size);
        }
        if ((long) channels * height * width != image.length) {
            throw new InvalidInputException("image has " + image.length + " values, not " + channels + "x" + height + "x" + width);
        }
        if (3L * size * size > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("network input size " + size + " is too large");
        }
        for (int i = 0; i < image.length; i++) {
            float v = image[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new InvalidInputException("image value " + v + " at index " + i
                        + (Float.isNaN(v) ? " is not a number" : " is outside [0, 1]") + "; " + OnnxFeatureExtractor.PIXELS_IN_UNIT_RANGE);
            }
        }
        int plane = size * size;
        float[] out = new float[3 * plane];
        // The distinct channels (one for gray) into the first planes of out, then scaled in place.
        transform(image, channels, height, width, size, out);
        replicate(out, channels, plane);
        return out;
    }

    /** The 8-bit levels of [0, 1] values (checked), halves rounded up: {@code k / 255f} gives back {@code k}. */
    static float[] quantised(float[] image) {
        float[] levels = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            levels[i] = (float) Math.floor(image[i] * 255f + 0.5f);
        }
        return levels;
    }

    /** A gray image's transformed plane copied to the other two channels. */
    void replicate(float[] out, int channels, int plane) {
        for (int c = channels; c < 3; c++) {
            System.arraycopy(out, 0, out, c * plane, plane);
        }
    }

    /** Writes the {@code channels} transformed planes of {@code image} to the first planes of {@code out}. */
    abstract void transform(float[] image, int channels, int height, int width, int size, float[] out);

    private static final class PytorchFid extends InceptionProtocol {
        @Override
        public String name() {
            return "pytorch-fid";
        }

        @Override
        void transform(float[] image, int channels, int height, int width, int size, float[] out) {
            float[] r = BilinearResize.resize(image, channels, height, width, size, size);
            for (int i = 0; i < r.length; i++) {
                out[i] = 2f * r[i] - 1f;
            }
        }
    }

    /**
     * 8-bit levels, optionally cropped to the centred square, Pillow's 8-bit bicubic, {@code /255}, then a per-channel
     * mean and standard deviation.
     */
    private static final class ImageNetNormalised extends InceptionProtocol {
        private final String name;
        private final boolean cropSquare;
        private final float[] mean;
        private final float[] std;

        ImageNetNormalised(String name, boolean cropSquare, float[] mean, float[] std) {
            this.name = name;
            this.cropSquare = cropSquare;
            this.mean = mean;
            this.std = std;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        void transform(float[] image, int channels, int height, int width, int size, float[] out) {
            float[] levels = quantised(image);
            if (cropSquare && height != width) {
                int side = Math.min(height, width);
                int top = (height - side) / 2;
                int left = (width - side) / 2;
                float[] crop = new float[channels * side * side];
                for (int c = 0; c < channels; c++) {
                    for (int y = 0; y < side; y++) {
                        System.arraycopy(levels, (c * height + top + y) * width + left, crop, (c * side + y) * side, side);
                    }
                }
                levels = crop;
                height = side;
                width = side;
            }
            float[] resized = PilBicubicResize.resize8bit(levels, channels, height, width, size, size);
            int plane = size * size;
            // A gray image is resized once and its levels normalised with each channel's own statistics (dgm-eval's
            // convert('RGB') makes three equal channels).
            for (int c = 0; c < 3; c++) {
                int from = channels == 1 ? 0 : c * plane;
                for (int i = 0; i < plane; i++) {
                    out[c * plane + i] = (resized[from + i] / 255f - mean[c]) / std[c];
                }
            }
        }

        @Override
        void replicate(float[] out, int channels, int plane) {
            // transform() wrote all three channels.
        }
    }

    /** TF and clean: 0..255 values (quantised or not), resized per channel, clipped or not, then (x − 128) / 128. */
    private static final class Levels extends InceptionProtocol {
        private final String name;
        private final boolean quantise;
        private final boolean clip;
        private final AxisTables.PlaneResize resize;

        Levels(String name, boolean quantise, AxisTables.PlaneResize resize, boolean clip) {
            this.name = name;
            this.quantise = quantise;
            this.resize = resize;
            this.clip = clip;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        void transform(float[] image, int channels, int height, int width, int size, float[] out) {
            float[] levels = quantise ? quantised(image) : new float[image.length];
            if (!quantise) {
                for (int i = 0; i < image.length; i++) {
                    levels[i] = image[i] * 255f;
                }
            }
            AxisTables.resizePlanes(levels, channels, height, width, out, size, size, resize);
            int n = channels * size * size;
            if (clip) {
                for (int i = 0; i < n; i++) {
                    out[i] = (Math.min(Math.max(out[i], 0f), 255f) - 128f) / 128f;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[i] = (out[i] - 128f) / 128f;
                }
            }
        }
    }
}
