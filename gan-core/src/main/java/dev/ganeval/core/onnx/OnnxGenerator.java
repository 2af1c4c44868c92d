package dev.ganeval.core.onnx;

import dev.ganeval.core.Generator;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.sampling.ImageGenerator;
import dev.ganeval.core.sampling.Noise;
import dev.ganeval.core.sampling.PixelRange;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Any ONNX generator (noise in, samples out) as a {@link Generator} of images ({@link ImageGenerator}). The noise input may be {@code [batch, d]} or,
 * as in DCGAN-style PyTorch models, {@code [batch, d, 1, 1]}; the first output holds the samples, either flat
 * {@code [batch, C·H·W]} or {@code [batch, C, H, W]}.
 *
 * <p>What the model expects and produces is read from its metadata when ganeval exported it ({@link Noise#METADATA_KEY},
 * {@link PixelRange#METADATA_KEY}, {@link #SHAPE_KEY}); for other models the caller says so, or the defaults of
 * the field apply: N(0, 1) noise and outputs in [−1, 1].
 */
public final class OnnxGenerator implements ImageGenerator, AutoCloseable {
    /** Metadata key for the sample shape {@code C,H,W}. */
    public static final String SHAPE_KEY = "ganeval.sample_shape";

    private final OnnxModel model;
    private final Noise noise;
    private final PixelRange range;
    private final long[] noiseShape;
    private final int noiseDim;
    private final String output;
    private final int[] sampleShape;

    /**
     * @param noise the noise to draw, or null for the model's metadata (else N(0, 1))
     * @param range the output range, or null for the model's metadata (else [−1, 1])
     * @throws ModelLoadException if the noise input has no fixed size, or the samples' shape cannot be worked out
     */
    public OnnxGenerator(OnnxModel model, Noise noise, PixelRange range) {
        this.model = Objects.requireNonNull(model, "model");
        Map<String, String> meta = model.metadata();
        this.noise = noise != null ? noise : meta.containsKey(Noise.METADATA_KEY) ? Noise.parse(meta.get(Noise.METADATA_KEY)) : Noise.normal();
        this.range = range != null ? range : meta.containsKey(PixelRange.METADATA_KEY)
                ? PixelRange.parse(meta.get(PixelRange.METADATA_KEY)) : PixelRange.SYMMETRIC;
        long[] in = model.inputShape();
        long d = 1;
        for (int i = 1; i < in.length; i++) {
            d *= in[i];
        }
        if (in.length < 2 || d < 1 || Arrays.stream(in, 1, in.length).anyMatch(x -> x < 1)) {
            throw new ModelLoadException(model.description() + ": the noise input '" + model.inputName() + "' has shape "
                    + Arrays.toString(in) + "; a generator needs a fixed size per sample, e.g. [batch, 100] or [batch, 100, 1, 1]", null);
        }
        this.noiseShape = in;
        this.noiseDim = (int) d;
        this.output = model.outputNames().get(0);
        this.sampleShape = meta.containsKey(SHAPE_KEY) ? parseShape(meta.get(SHAPE_KEY), model) : inferShape(model, output);
    }

    /** ganeval's older constructor: uniform noise on ±{@code range}, outputs in [0, 1]. */
    public OnnxGenerator(OnnxModel model, double range) {
        this(model, Noise.uniform(range), PixelRange.UNIT);
    }

    /** Loads a generator file; null {@code noise} or {@code range} means the model's metadata, else the defaults. */
    public static OnnxGenerator load(Path file, Device device, Noise noise, PixelRange range) {
        OnnxModel m = OnnxModel.load(file, device);
        try {
            return new OnnxGenerator(m, noise, range);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static int[] parseShape(String text, OnnxModel model) {
        try {
            int[] s = Arrays.stream(text.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
            if (s.length == 3 && s[0] > 0 && s[1] > 0 && s[2] > 0) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ModelLoadException(model.description() + ": metadata " + SHAPE_KEY + " must be 'C,H,W', found '" + text + "'", null);
    }

    /** The side of a square image of {@code values} pixels, or 0 when {@code values} is not a perfect square. */
    public static int squareSide(long values) {
        long side = Math.round(Math.sqrt((double) values));
        return values > 0 && side * side == values && side <= Integer.MAX_VALUE ? (int) side : 0;
    }

    private static int[] inferShape(OnnxModel model, String output) {
        long[] s = model.outputShape(output);
        if (s.length == 4 && s[1] > 0 && s[2] > 0 && s[3] > 0) {
            return new int[] {(int) s[1], (int) s[2], (int) s[3]};
        }
        if (s.length == 3 && s[1] > 0 && s[2] > 0) {
            return new int[] {1, (int) s[1], (int) s[2]};
        }
        if (s.length == 2 && s[1] > 0) {
            long w = s[1];
            for (int c : new int[] {1, 3}) {
                int side = w % c == 0 ? squareSide(w / c) : 0;
                if (side > 0) {
                    return new int[] {c, side, side};
                }
            }
            return new int[] {1, 1, (int) w};
        }
        throw new ModelLoadException(model.description() + ": cannot tell the sample shape from output '" + output
                + "' of shape " + Arrays.toString(s) + "; export it as [batch, C, H, W] or add metadata " + SHAPE_KEY + "=C,H,W", null);
    }

    @Override
    public FloatMatrix sample(int n, RandomGenerator rng) {
        if (n < 1) {
            throw new IllegalArgumentException("sample count must be at least 1, got " + n);
        }
        float[] z = new float[Math.multiplyExact(n, noiseDim)];
        noise.fill(z, rng);
        long[] shape = noiseShape.clone();
        shape[0] = n;
        FloatMatrix out = model.run(z, shape, output);
        int per = sampleShape[0] * sampleShape[1] * sampleShape[2];
        if (out.cols() != per) {
            throw new ModelLoadException(model.description() + ": produced " + out.cols() + " values per sample, not "
                    + sampleShape[0] + "x" + sampleShape[1] + "x" + sampleShape[2], null);
        }
        return out;
    }

    @Override
    public Noise noise() {
        return noise;
    }

    @Override
    public PixelRange pixelRange() {
        return range;
    }

    /** Channels, height, width of one sample. */
    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** The model's {@link OnnxModel#description() description}: its file or the name it was loaded with. */
    @Override
    public String description() {
        return model.description();
    }

    public int noiseDim() {
        return noiseDim;
    }

    public OnnxModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
