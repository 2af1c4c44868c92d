package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.Generator;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/** The sides an {@link Evaluation} reads: folders, files and data sets ({@link SampleSource#parse}), and generators. */
public final class SampleSources {
    /** Rows a generator draws per call. */
    static final int DRAW = 500;

    private SampleSources() {}

    /** A folder of images, read in colour (RGB), as pytorch-fid reads them. */
    public static SampleSource folder(Path folder) {
        return SampleSource.parse(folder.toString(), ImageFolder.Color.RGB);
    }

    /** A folder of images read as grayscale. */
    public static SampleSource grayFolder(Path folder) {
        return SampleSource.parse(folder.toString(), ImageFolder.Color.GRAY);
    }

    /** {@code mnist:test}, a folder, an IDX file or an {@code .npy}, as the command line names them. */
    public static SampleSource parse(String spec, boolean gray) {
        return SampleSource.parse(spec, gray);
    }

    /**
     * {@code n} samples of {@code generator}, {@code channels × height × width} values each in [0, 1], drawn
     * {@value #DRAW} at a time from one {@link SplittableRandom} seeded with {@code seed}: the same rows whether they
     * are streamed or read whole, so a seed fixes the samples.
     */
    public static SampleSource generator(Generator generator, int n, long seed, int channels, int height, int width,
                                         String name) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(name, "name");
        if (n < 1) {
            throw new InvalidInputException("a generator side needs at least 1 sample, got " + n);
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new InvalidInputException("a generator's sample shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        int per = channels * height * width;
        return new SampleSource() {
            @Override
            public FloatMatrix read() {
                FloatMatrix all = new FloatMatrix(n, per);
                int done = 0;
                for (Iterator<FloatMatrix> it = batches(DRAW); it.hasNext(); ) {
                    FloatMatrix b = it.next();
                    System.arraycopy(b.data(), 0, all.data(), done * per, b.rows() * per);
                    done += b.rows();
                }
                return all;
            }

            @Override
            public long rowCount() {
                return n;
            }

            /** Drawn {@value #DRAW} at a time whatever {@code batchSize} is, so the rows do not depend on it. */
            @Override
            public Iterator<FloatMatrix> batches(int batchSize) {
                SplittableRandom rng = new SplittableRandom(seed);
                return new Iterator<>() {
                    private int done;

                    @Override
                    public boolean hasNext() {
                        return done < n;
                    }

                    @Override
                    public FloatMatrix next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        int m = Math.min(DRAW, n - done);
                        FloatMatrix x = generator.sample(m, rng);
                        if (x.rows() != m || x.cols() != per) {
                            throw new InvalidInputException(name + " returned " + x.rows() + "x" + x.cols() + " samples for a draw of "
                                    + m + "; expected " + m + "x" + per + " (" + channels + "x" + height + "x" + width + ")");
                        }
                        done += m;
                        return x;
                    }
                };
            }

            @Override
            public int channels() {
                return channels;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public int width() {
                return width;
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }
}
