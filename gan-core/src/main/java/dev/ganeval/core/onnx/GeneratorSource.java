package dev.ganeval.core.onnx;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code n} samples drawn from an ONNX generator, as a {@link SampleSource} of images in [0, 1]: the generator's
 * outputs are mapped from its {@link PixelRange}. Noise is drawn in batches from one seeded stream, so the samples
 * do not depend on the batch size. Outputs that are not finite, or fall outside the declared range by more than
 * 1 % of its width, are rejected: they mean the range (or the model) is wrong, and scoring them would give a
 * silently wrong number.
 */
public final class GeneratorSource implements SampleSource {
    private static final double TOLERANCE = 0.01;

    private final OnnxGenerator generator;
    private final int n;
    private final long seed;
    private final int batchSize;
    private final Progress progress;
    private final List<String> warnings = new ArrayList<>();

    public GeneratorSource(OnnxGenerator generator, int n, long seed, int batchSize, Progress progress) {
        this.generator = Objects.requireNonNull(generator, "generator");
        if (n < 1) {
            throw new IllegalArgumentException("the number of samples (--n) must be at least 1, got " + n);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.n = n;
        this.seed = seed;
        this.batchSize = batchSize;
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    @Override
    public FloatMatrix read() {
        int[] shape = generator.sampleShape();
        int per = shape[0] * shape[1] * shape[2];
        FloatMatrix out = new FloatMatrix(n, per);
        SplittableRandom rng = new SplittableRandom(seed);
        PixelRange r = generator.pixelRange();
        double width = r.high() - r.low();
        float scale = (float) (1 / width);
        float tol = (float) TOLERANCE;
        boolean allInUnit = r.low() < 0;
        for (int b0 = 0; b0 < n; b0 += batchSize) {
            int b = Math.min(batchSize, n - b0);
            float[] raw = generator.sample(b, rng).data();
            float[] dst = out.data();
            for (int i = 0; i < raw.length; i++) {
                float v = raw[i];
                float u = (float) ((v - r.low()) * scale);
                if (!(u >= -tol && u <= 1 + tol)) {
                    int row = b0 + i / per;
                    String what = Float.isFinite(v) ? "value " + v + " outside its pixel range " + r
                            + "; pass the range it really produces (e.g. --pixel-range -1,1 for tanh, 0,1 for sigmoid)"
                            : "a non-finite value (" + v + ")";
                    throw new InvalidInputException(generator.model().description() + ": sample " + row + " has " + what);
                }
                allInUnit &= v >= 0;
                dst[b0 * per + i] = Math.min(1f, Math.max(0f, u));
            }
            progress.update(b0 + b, n);
        }
        if (allInUnit) {
            warnings.add(String.format(Locale.ROOT, "every value %s produced lies in [0, 1] although its declared range is %s; "
                    + "if it ends in a sigmoid, pass --pixel-range 0,1", describe(), r));
        }
        return out;
    }

    /** Warnings found by the last {@link #read()}, e.g. outputs that suggest a wrong pixel range. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public int channels() {
        return generator.sampleShape()[0];
    }

    @Override
    public int height() {
        return generator.sampleShape()[1];
    }

    @Override
    public int width() {
        return generator.sampleShape()[2];
    }

    @Override
    public String describe() {
        return generator.model().description();
    }

    /** What was drawn, for reports: count, seed, noise and range. */
    public String settings() {
        return String.format(Locale.ROOT, "n=%d seed=%d noise=%s pixel_range=%s", n, seed, generator.noise(), generator.pixelRange());
    }
}
