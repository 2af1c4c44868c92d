package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.features.FeatureExtractor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplesTest {
    /** 1,234 rows of 6 pixels; like a folder it knows its count, and its read() fails, so streaming must not call it. */
    private static final FloatMatrix ROWS = random(1234, 6);

    private static FloatMatrix random(int n, int d) {
        SplittableRandom r = new SplittableRandom(7);
        FloatMatrix m = new FloatMatrix(n, d);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = (float) r.nextDouble();
        }
        return m;
    }

    private static SampleSource streamOnly(FloatMatrix rows, List<Integer> batchSizes) {
        return new SampleSource() {
            @Override
            public FloatMatrix read() {
                throw new AssertionError("a streamed source must not be read whole");
            }

            @Override
            public long rowCount() {
                return rows.rows();
            }

            @Override
            public Iterator<FloatMatrix> batches(int batchSize) {
                Iterator<FloatMatrix> slices = SampleSource.of(() -> rows, 1, 1, rows.cols(), "inner").batches(batchSize);
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return slices.hasNext();
                    }

                    @Override
                    public FloatMatrix next() {
                        FloatMatrix b = slices.next();
                        batchSizes.add(b.rows());
                        return b;
                    }
                };
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public int height() {
                return 1;
            }

            @Override
            public int width() {
                return rows.cols();
            }

            @Override
            public String describe() {
                return "stream";
            }
        };
    }

    /** A network whose features are each row's sum and maximum: row-wise, so batching must not change them. */
    private static final FeatureExtractor SUM_MAX = new FeatureExtractor() {
        @Override
        public FloatMatrix extract(FloatMatrix x) {
            FloatMatrix f = new FloatMatrix(x.rows(), 2);
            for (int i = 0; i < x.rows(); i++) {
                float sum = 0;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < x.cols(); j++) {
                    sum += x.get(i, j);
                    max = Math.max(max, x.get(i, j));
                }
                f.set(i, 0, sum);
                f.set(i, 1, max);
            }
            return f;
        }

        @Override
        public String tag() {
            return "sum-max";
        }

        @Override
        public int dim() {
            return 2;
        }
    };

    private static void inUnitRange(FloatMatrix batch, long firstRow) {
        UnitRange.require(batch, firstRow, "stream", "test");
    }

    @Test
    void aStreamedSideGivesTheFeaturesOfTheWholeOneBatchByBatch() {
        List<Integer> batches = new ArrayList<>();
        Samples streamed = new Samples(streamOnly(ROWS, batches), null, false, SamplesTest::inUnitRange, 0);
        assertEquals(1234, streamed.rows());
        List<long[]> progress = new ArrayList<>();
        FloatMatrix f = streamed.through(SUM_MAX, (done, total) -> progress.add(new long[] {done, total}));
        assertArrayEquals(SUM_MAX.extract(ROWS).data(), f.data());
        assertEquals(List.of(Samples.BATCH, Samples.BATCH, 234), batches);
        assertArrayEquals(new long[] {1234, 1234}, progress.get(progress.size() - 1));
        assertThrows(IllegalStateException.class, streamed::pixels);

        // --limit cuts inside the second batch, and reading stops there.
        batches.clear();
        Samples limited = new Samples(streamOnly(ROWS, batches), 700, false, SamplesTest::inUnitRange, 0);
        assertEquals(700, limited.rows());
        assertArrayEquals(SUM_MAX.extract(ROWS.rowRange(0, 700)).data(), limited.through(SUM_MAX, (d, t) -> { }).data());
        assertEquals(List.of(Samples.BATCH, Samples.BATCH), batches);
    }

    @Test
    void aSourceThatCouldStreamIsReadWholeWhenItFitsTheBudget() {
        List<Integer> batches = new ArrayList<>();
        long bytes = 1234L * 6 * Float.BYTES;
        assertTrue(new Samples(streamOnly(ROWS, batches), null, false, SamplesTest::inUnitRange, bytes - 1).streamed());
        // Within the budget it is read whole, and streamOnly's read() fails the test.
        assertThrows(AssertionError.class, () -> new Samples(streamOnly(ROWS, batches), null, false, SamplesTest::inUnitRange, bytes));
        // --limit counts: 700 rows fit where 1,234 do not.
        assertThrows(AssertionError.class, () -> new Samples(streamOnly(ROWS, batches), 700, false, SamplesTest::inUnitRange, bytes - 1));
    }

    @Test
    void pixelsAreReadWholeWhenAskedForAndBadOnesAreNamedByTheirRowInTheSource() {
        Samples whole = new Samples(SampleSource.of(() -> ROWS, 1, 1, 6, "rows"), 1000, true, SamplesTest::inUnitRange);
        assertEquals(1000, whole.rows());
        assertArrayEquals(ROWS.rowRange(0, 1000).data(), whole.pixels().data());
        assertArrayEquals(SUM_MAX.extract(ROWS.rowRange(0, 1000)).data(), whole.through(SUM_MAX, (d, t) -> { }).data());

        FloatMatrix bad = ROWS.copy();
        bad.set(612, 4, 1.5f);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new Samples(streamOnly(bad, new ArrayList<>()), null, false, SamplesTest::inUnitRange, 0).through(SUM_MAX, (d, t) -> { }));
        assertTrue(e.getMessage().contains("value 1.5 at row 612, column 4 is outside [0, 1]"), e.getMessage());
        InvalidInputException inMemory = assertThrows(InvalidInputException.class,
                () -> new Samples(SampleSource.of(() -> bad, 1, 1, 6, "rows"), null, false, SamplesTest::inUnitRange));
        assertEquals(e.getMessage(), inMemory.getMessage());
    }
}
