package dev.ganeval.cli;

import dev.ganeval.core.Progress;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.features.FeatureExtractor;

import java.util.Iterator;

/**
 * One side of a score: its source cut to {@code --limit}, each row checked as pixels. Read whole where the pixels
 * themselves are scored (Parzen, the real/fake ratio), where the source holds its rows in memory anyway, or where they
 * fit in a quarter of the heap; otherwise an image folder or a generator whose rows only pass through a network is
 * read a batch at a time, so they never sit in memory together (50,000 RGB images of 256 × 256 are 39 GB as floats,
 * against 0.4 GB of 2,048-d features). Streaming costs a second decode or draw when both features and logits are
 * needed, hence only when the whole would not fit.
 */
final class Samples {
    /** Images decoded per batch when streaming. */
    static final int BATCH = 500;

    /** Checks a batch of pixels whose first row is row {@code firstRow} of the source. */
    @FunctionalInterface
    interface PixelCheck {
        void require(FloatMatrix batch, long firstRow);
    }

    private final SampleSource source;
    private final PixelCheck check;
    private final int rows;
    private final FloatMatrix pixels;

    /**
     * @param limit        at most this many rows (the first ones), or null for all
     * @param pixelsNeeded whether {@link #pixels()} will be asked for; if not, a folder is streamed
     */
    Samples(SampleSource source, Integer limit, boolean pixelsNeeded, PixelCheck check) {
        this(source, limit, pixelsNeeded, check, Runtime.getRuntime().maxMemory() / 4);
    }

    /** @param budget bytes the rows may take as floats before a source that can stream is streamed */
    Samples(SampleSource source, Integer limit, boolean pixelsNeeded, PixelCheck check, long budget) {
        this.source = source;
        this.check = check;
        long known = source.rowCount();
        long wanted = limit == null || known < 0 ? known : Math.min(known, limit);
        long bytes = wanted * source.channels() * source.height() * source.width() * Float.BYTES;
        if (!pixelsNeeded && known >= 0 && bytes > budget) {
            this.pixels = null;
            this.rows = (int) wanted;
        } else {
            this.pixels = firstRows(source.read(), limit);
            this.rows = pixels.rows();
            check.require(pixels, 0);
        }
    }

    /** The first {@code limit} rows of {@code x} ({@code --limit}), or all of them when {@code limit} is null. */
    static FloatMatrix firstRows(FloatMatrix x, Integer limit) {
        return limit == null || limit >= x.rows() ? x : x.rowRange(0, limit);
    }

    int rows() {
        return rows;
    }

    /** Whether the rows are read a batch at a time. */
    boolean streamed() {
        return pixels == null;
    }

    /** All the rows at once; only for sides built with {@code pixelsNeeded}. */
    FloatMatrix pixels() {
        if (pixels == null) {
            throw new IllegalStateException(source.describe() + " is streamed; build it with pixelsNeeded to read it whole");
        }
        return pixels;
    }

    /** The rows through {@code network}: from memory in one call, or batch by batch for a streamed folder. */
    FloatMatrix through(FeatureExtractor network, Progress progress) {
        if (pixels != null) {
            return network.extract(pixels, progress);
        }
        FloatMatrix out = null;
        int done = 0;
        Iterator<FloatMatrix> batches = source.batches(BATCH);
        while (done < rows && batches.hasNext()) {
            FloatMatrix batch = batches.next();
            if (batch.rows() > rows - done) {
                batch = batch.rowRange(0, rows - done);
            }
            check.require(batch, done);
            FloatMatrix f = network.extract(batch);
            if (out == null) {
                out = new FloatMatrix(rows, f.cols());
            }
            System.arraycopy(f.data(), 0, out.data(), done * f.cols(), f.data().length);
            done += batch.rows();
            progress.update(done, rows);
        }
        return out;
    }
}
