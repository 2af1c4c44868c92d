package dev.ganeval.core.sampling;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code n} samples drawn from an {@link ImageGenerator} (e.g. an ONNX generator), as a {@link SampleSource} of images
 * in [0, 1]: the generator's outputs are mapped from its {@link PixelRange}. Noise is drawn in batches from one seeded
 * stream, so the samples do not depend on the batch size. Outputs that are not finite, or fall outside the declared
 * range by more than 1 % of its width, are rejected: they mean the range (or the model) is wrong, and scoring them
 * would give a silently wrong number.
 */
public final class GeneratorSource implements SampleSource {
    private static final double TOLERANCE = 0.01;

    private final ImageGenerator generator;
    private final int n;
    private final long seed;
    private final int batchSize;
    private final Progress progress;
    private final List<String> warnings = new ArrayList<>();

    public GeneratorSource(ImageGenerator generator, int n, long seed, int batchSize, Progress progress) {
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
        int per = channels() * height() * width();
        FloatMatrix out = new FloatMatrix(n, per);
        int done = 0;
        for (Iterator<FloatMatrix> it = batches(batchSize); it.hasNext(); ) {
            FloatMatrix b = it.next();
            System.arraycopy(b.data(), 0, out.data(), done * per, b.data().length);
            done += b.rows();
            progress.update(done, n);
        }
        return out;
    }

    @Override
    public long rowCount() {
        return n;
    }

    /**
     * The {@code n} samples, handed out at most {@code batchSize} at a time but always drawn in this source's own
     * batches (its constructor's {@code batchSize}): a network's output can change in its last bits with the batch it
     * runs in, so drawing in fixed batches gives the same samples, to the bit, as {@link #read} whatever the consumer
     * asks for. The pixel-range warning is added once the last batch is drawn.
     */
    @Override
    public Iterator<FloatMatrix> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        warnings.clear();
        SplittableRandom rng = new SplittableRandom(seed);
        PixelRange r = generator.pixelRange();
        int per = channels() * height() * width();
        float scale = (float) (1 / (r.high() - r.low()));
        float tol = (float) TOLERANCE;
        int drawSize = this.batchSize;
        return new Iterator<>() {
            private int drawn;
            private FloatMatrix draw;
            private int drawFirstRow;
            private int handed;
            private boolean allInUnit = r.low() < 0;

            @Override
            public boolean hasNext() {
                return handed < n;
            }

            @Override
            public FloatMatrix next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (draw == null || handed == drawFirstRow + draw.rows()) {
                    drawFirstRow = drawn;
                    draw = draw(Math.min(drawSize, n - drawn));
                }
                int from = handed - drawFirstRow;
                int to = Math.min(draw.rows(), from + batchSize);
                handed += to - from;
                return from == 0 && to == draw.rows() ? draw : draw.rowRange(from, to);
            }

            private FloatMatrix draw(int b) {
                float[] raw = generator.sample(b, rng).data();
                FloatMatrix out = new FloatMatrix(b, per);
                float[] dst = out.data();
                for (int i = 0; i < raw.length; i++) {
                    float v = raw[i];
                    float u = (float) ((v - r.low()) * scale);
                    if (!(u >= -tol && u <= 1 + tol)) {
                        int row = drawn + i / per;
                        String what = Float.isFinite(v) ? "value " + v + " outside its pixel range " + r
                                + "; pass the range it really produces (e.g. --pixel-range -1,1 for tanh, 0,1 for sigmoid)"
                                : "a non-finite value (" + v + ")";
                        throw new InvalidInputException(generator.description() + ": sample " + row + " has " + what);
                    }
                    allInUnit &= v >= 0;
                    dst[i] = Math.min(1f, Math.max(0f, u));
                }
                drawn += b;
                if (drawn == n && allInUnit) {
                    warnings.add(String.format(Locale.ROOT, "every value %s produced lies in [0, 1] although its declared range "
                            + "is %s; if it ends in a sigmoid, pass --pixel-range 0,1", describe(), r));
                }
                return out;
            }
        };
    }

    /** Warnings found by the last full {@link #read()} or pass over {@link #batches}, e.g. outputs that suggest a wrong pixel range. */
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
        return generator.description();
    }

    /** What was drawn, for reports: count, seed, noise and range. */
    public String settings() {
        return String.format(Locale.ROOT, "n=%d seed=%d noise=%s pixel_range=%s", n, seed, generator.noise(), generator.pixelRange());
    }
}
