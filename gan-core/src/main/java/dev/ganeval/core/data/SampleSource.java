package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;

/**
 * Where samples come from: an image folder, an IDX file, an {@code .npy} of samples, or a named data set. Every
 * source knows its image geometry (channels × height × width; for plain vectors 1 × 1 × width) and reads its
 * rows, in [0, 1] for images.
 */
public interface SampleSource {
    /** Rows of {@code channels × height × width} values. */
    FloatMatrix read();

    int channels();

    int height();

    int width();

    /** What the source is, for reports: a path or a data set name. */
    String describe();

    /**
     * Runs {@code step} on this source's data with the source named in front of any {@link InvalidInputException}
     * it throws: a library check names its argument ("features has 1 row"), while the user knows the data by its
     * path.
     */
    default <T> T named(java.util.function.Supplier<T> step) {
        Objects.requireNonNull(step, "step");
        try {
            return step.get();
        } catch (InvalidInputException e) {
            if (e.file().isPresent()) {
                throw e; // it names its file already (a model, a weight file), which is what the user needs
            }
            throw new InvalidInputException(describe() + ": " + e.getMessage());
        }
    }

    /**
     * How many rows {@link #read} would return, when that is known without reading them (an image folder: its file
     * count); otherwise -1.
     */
    default long rowCount() {
        return -1;
    }

    /**
     * The rows in order, at most {@code batchSize} at a time. An image folder decodes one batch at a time, so a set
     * larger than memory can pass through a network batch by batch; other sources hold their rows in memory already
     * and hand out slices of {@link #read}.
     */
    default Iterator<FloatMatrix> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        FloatMatrix all = read();
        return RowBatches.of(all.rows(), batchSize, all::rowRange);
    }

    /** True for a folder of image files, whose colour layout the reader chooses (RGB, or gray when asked). */
    default boolean imageFolder() {
        return false;
    }

    /** True for plain rows (an {@code .npy} of shape {@code n × d}): geometry 1 × 1 × d, no image shape of their own. */
    default boolean flat() {
        return channels() == 1 && height() == 1;
    }

    /**
     * This source with the geometry of {@code like}, when it is {@link #flat() flat} and its rows hold as many values
     * as {@code like}'s images: rows are stored channel by channel, row by row, so {@code n × 784} rows are the same
     * values as {@code n × 28 × 28} images. Otherwise this source, unchanged.
     */
    default SampleSource shapedLike(SampleSource like) {
        if (!flat() || like.flat() || (long) like.channels() * like.height() * like.width() != width()) {
            return this;
        }
        SampleSource rows = this;
        return new SampleSource() {
            @Override
            public FloatMatrix read() {
                return rows.read();
            }

            @Override
            public long rowCount() {
                return rows.rowCount(); // known in advance as before: a metric's row check still runs before any read
            }

            @Override
            public java.util.Iterator<FloatMatrix> batches(int batchSize) {
                return rows.batches(batchSize);
            }

            @Override
            public int channels() {
                return like.channels();
            }

            @Override
            public int height() {
                return like.height();
            }

            @Override
            public int width() {
                return like.width();
            }

            @Override
            public String describe() {
                return rows.describe();
            }
        };
    }

    /**
     * Parses a command-line source: {@code mnist:train}, {@code mnist:test}, {@code fashion-mnist:test}, a folder of
     * images, an IDX file, or an {@code .npy} of samples: 2-D rows, {@code n × h × w} gray images, or images with 1 or 3
     * channels as {@code n × c × h × w} or {@code n × h × w × c} (channels first when both would fit); {@code uint8}
     * values are divided by 255.
     *
     * @param gray read image folders as grayscale (else RGB)
     * @throws InvalidInputException for an unknown data set, a missing path or an unusable file
     */
    static SampleSource parse(String spec, boolean gray) {
        return parse(spec, gray ? ImageFolder.Color.GRAY : ImageFolder.Color.RGB);
    }

    /**
     * As {@link #parse(String, boolean)}, reading image folders in the given colour layout ({@link
     * ImageFolder.Color#GRAY_ONLY} refuses colour images).
     */
    static SampleSource parse(String spec, ImageFolder.Color folderColor) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(folderColor, "folderColor");
        String lower = spec.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mnist:") || lower.startsWith("fashion-mnist:")) {
            int colon = spec.indexOf(':');
            Datasets.Split split = Datasets.Split.parse(spec.substring(colon + 1));
            Datasets.IdxPair pair = lower.startsWith("mnist:") ? Datasets.mnist(split) : Datasets.fashionMnist(split);
            return idx(pair.images(), spec);
        }
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            ImageFolder folder = ImageFolder.open(path, folderColor);
            return new FolderSource(folder, spec);
        }
        if (!Files.exists(path)) {
            throw new InvalidInputException(path, "no such file or folder (a source is a folder, .npy, IDX file, or mnist:test)");
        }
        if (lower.endsWith(".npy")) {
            NpyArray a = Npy.read(path);
            int[] s = a.shape();
            if (s.length == 3) {
                return of(() -> scaled(a), 1, s[1], s[2], spec);
            }
            if (s.length == 2) {
                return of(() -> scaled(a), 1, 1, s[1], spec);
            }
            // Channels first (PyTorch's layout) wins when both ends could be channels, as in n x 3 x 8 x 3.
            if (s.length == 4 && (s[1] == 1 || s[1] == 3)) {
                return of(() -> scaled(a), s[1], s[2], s[3], spec);
            }
            if (s.length == 4 && (s[3] == 1 || s[3] == 3)) {
                return of(() -> channelsFirst(scaled(a), s[1], s[2], s[3]), s[3], s[1], s[2], spec);
            }
            throw new InvalidInputException(path, "an .npy source must be n x d rows, n x h x w gray images or n x c x h x w"
                    + " / n x h x w x c images with 1 or 3 channels; found shape " + java.util.Arrays.toString(s));
        }
        return idx(path, spec);
    }

    /** Rows of {@code h × w × c} values (numpy's and PIL's image layout) as the {@code c × h × w} planes sources hold. */
    private static FloatMatrix channelsFirst(FloatMatrix hwc, int h, int w, int c) {
        FloatMatrix out = new FloatMatrix(hwc.rows(), hwc.cols());
        float[] in = hwc.data();
        float[] o = out.data();
        int plane = h * w;
        for (int r = 0; r < hwc.rows(); r++) {
            int base = r * plane * c;
            for (int p = 0; p < plane; p++) {
                for (int ch = 0; ch < c; ch++) {
                    o[base + ch * plane + p] = in[base + p * c + ch];
                }
            }
        }
        return out;
    }

    private static FloatMatrix scaled(NpyArray a) {
        FloatMatrix m = a.toMatrix();
        if (a.dtype() == NpyArray.DType.UINT8) {
            float[] d = m.data();
            for (int i = 0; i < d.length; i++) {
                d[i] /= 255f;
            }
        }
        return m;
    }

    private static SampleSource idx(Path file, String name) {
        Idx.IdxArray a = Idx.read(file);
        int[] s = a.shape();
        if (a.type() != Idx.DataType.UBYTE || s.length != 3) {
            throw new InvalidInputException(file, "an IDX source must hold unsigned-byte images n x height x width");
        }
        return of(() -> a.toMatrix(255f), 1, s[1], s[2], name);
    }

    /** A source from a reader and its geometry. */
    static SampleSource of(java.util.function.Supplier<FloatMatrix> reader, int channels, int height, int width, String name) {
        return new SampleSource() {
            @Override
            public FloatMatrix read() {
                return reader.get();
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
