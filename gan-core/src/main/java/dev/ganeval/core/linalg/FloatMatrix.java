package dev.ganeval.core.linalg;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense row-major matrix of {@code float}: element (i, j) lives at {@code data[i * cols + j]}.
 *
 * <p>The backing array is exposed on purpose ({@link #data()}): kernels work on it directly with
 * explicit offsets, the way EJML and Smile do, so no element access goes through a virtual call.
 * A sample set is a matrix with one sample per row.
 */
public final class FloatMatrix {
    private final int rows;
    private final int cols;
    private final float[] data;

    /** A zero-filled matrix. */
    public FloatMatrix(int rows, int cols) {
        this(rows, cols, new float[checkedSize(rows, cols)]);
    }

    /**
     * Wraps {@code data} (not copied) as a {@code rows × cols} matrix.
     *
     * @throws IllegalArgumentException if the array length is not {@code rows * cols}
     */
    public FloatMatrix(int rows, int cols, float[] data) {
        Objects.requireNonNull(data, "data");
        int size = checkedSize(rows, cols);
        if (data.length != size) {
            throw new IllegalArgumentException(
                    "data has " + data.length + " elements but a " + rows + "x" + cols + " matrix needs " + size);
        }
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    /** Copies the given rows, which must all have the same length, into a new matrix. */
    public static FloatMatrix ofRows(float[]... rowArrays) {
        Objects.requireNonNull(rowArrays, "rowArrays");
        if (rowArrays.length == 0) {
            return new FloatMatrix(0, 0);
        }
        int cols = rowArrays[0].length;
        FloatMatrix m = new FloatMatrix(rowArrays.length, cols);
        for (int i = 0; i < rowArrays.length; i++) {
            if (rowArrays[i].length != cols) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + rowArrays[i].length + " columns, row 0 has " + cols);
            }
            System.arraycopy(rowArrays[i], 0, m.data, i * cols, cols);
        }
        return m;
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative dimensions " + rows + "x" + cols);
        }
        long size = (long) rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    rows + "x" + cols + " = " + size + " elements exceeds the largest Java array; process it in row blocks");
        }
        return (int) size;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** The backing row-major array, not a copy. */
    public float[] data() {
        return data;
    }

    public float get(int i, int j) {
        return data[index(i, j)];
    }

    public void set(int i, int j, float value) {
        data[index(i, j)] = value;
    }

    private int index(int i, int j) {
        Objects.checkIndex(i, rows);
        Objects.checkIndex(j, cols);
        return i * cols + j;
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        Objects.checkIndex(i, rows);
        return Arrays.copyOfRange(data, i * cols, (i + 1) * cols);
    }

    /** A new matrix holding rows {@code from} (inclusive) to {@code to} (exclusive). */
    public FloatMatrix rowRange(int from, int to) {
        Objects.checkFromToIndex(from, to, rows);
        return new FloatMatrix(to - from, cols, Arrays.copyOfRange(data, from * cols, to * cols));
    }

    public FloatMatrix copy() {
        return new FloatMatrix(rows, cols, data.clone());
    }

    public FloatMatrix transpose() {
        FloatMatrix t = new FloatMatrix(cols, rows);
        float[] td = t.data;
        // Blocked so both sides stay in cache for large matrices.
        final int block = 64;
        for (int i0 = 0; i0 < rows; i0 += block) {
            int i1 = Math.min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block) {
                int j1 = Math.min(cols, j0 + block);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        td[j * rows + i] = data[i * cols + j];
                    }
                }
            }
        }
        return t;
    }

    /**
     * The index of the first NaN or infinite element, or -1 if every element is finite. Used by the
     * validation at public entry points, which then name the row and column.
     */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + cols + "]";
    }
}
