package dev.ganeval.core.data;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiFunction;

/** Rows {@code 0 … rows-1} handed out {@code batchSize} at a time (the last batch may be smaller). */
final class RowBatches {
    private RowBatches() {}

    /** @param range the rows {@code from} (inclusive) to {@code to} (exclusive) as a matrix */
    static Iterator<FloatMatrix> of(int rows, int batchSize, BiFunction<Integer, Integer, FloatMatrix> range) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < rows;
            }

            @Override
            public FloatMatrix next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(rows, next + batchSize);
                FloatMatrix batch = range.apply(next, to);
                next = to;
                return batch;
            }
        };
    }
}
