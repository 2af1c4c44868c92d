package dev.ganeval.core.data;

import dev.ganeval.core.linalg.FloatMatrix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as NumPy stores it in {@code .npy}: a dtype, a C-order shape, and the values as
 * little-endian bytes. Immutable; conversions return fresh arrays.
 */
public final class NpyArray {
    /**
     * The dtypes this reader and writer support, with NumPy's descr strings (little-endian; {@link Npy#read}
     * also takes their big-endian forms and swaps the bytes).
     */
    public enum DType {
        FLOAT16("<f2", 2), FLOAT32("<f4", 4), FLOAT64("<f8", 8), UINT8("|u1", 1), INT32("<i4", 4), INT64("<i8", 8);

        private final String descr;
        private final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        /** NumPy's descr, e.g. {@code <f4}. */
        public String descr() {
            return descr;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        boolean isFloating() {
            return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final byte[] data;

    NpyArray(DType dtype, int[] shape, byte[] data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n * dtype.size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + n * dtype.size + " bytes, got " + data.length);
        }
        this.data = data;
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static NpyArray ofFloats(float[] values, int... shape) {
        ByteBuffer bb = le(values.length * 4);
        bb.asFloatBuffer().put(values);
        return new NpyArray(DType.FLOAT32, shape, bb.array());
    }

    public static NpyArray ofDoubles(double[] values, int... shape) {
        ByteBuffer bb = le(values.length * 8);
        bb.asDoubleBuffer().put(values);
        return new NpyArray(DType.FLOAT64, shape, bb.array());
    }

    public static NpyArray ofInts(int[] values, int... shape) {
        ByteBuffer bb = le(values.length * 4);
        bb.asIntBuffer().put(values);
        return new NpyArray(DType.INT32, shape, bb.array());
    }

    public static NpyArray ofLongs(long[] values, int... shape) {
        ByteBuffer bb = le(values.length * 8);
        bb.asLongBuffer().put(values);
        return new NpyArray(DType.INT64, shape, bb.array());
    }

    /** Unsigned bytes (NumPy {@code uint8}), e.g. 8-bit images. */
    public static NpyArray ofUnsignedBytes(byte[] values, int... shape) {
        return new NpyArray(DType.UINT8, shape, values.clone());
    }

    /** A {@code float32} array of shape {@code rows × cols}. */
    public static NpyArray of(FloatMatrix m) {
        return ofFloats(m.data(), m.rows(), m.cols());
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return data.length / dtype.size;
    }

    /** The raw little-endian bytes, copied. */
    public byte[] bytes() {
        return data.clone();
    }

    byte[] rawBytes() {
        return data;
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values in C order as {@code double}, whatever the dtype (INT64 beyond 2⁵³ rounds). */
    public double[] toDoubles() {
        int n = size();
        double[] out = new double[n];
        ByteBuffer bb = buffer();
        switch (dtype) {
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float16.toFloat(bb.getShort(2 * i));
                }
            }
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getFloat(4 * i);
                }
            }
            case FLOAT64 -> bb.asDoubleBuffer().get(out);
            case UINT8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data[i] & 0xFF;
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getInt(4 * i);
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = bb.getLong(8 * i);
                }
            }
        }
        return out;
    }

    /** The values in C order as {@code float} (FLOAT64 and large integers round to nearest). */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        if (dtype == DType.FLOAT32) {
            buffer().asFloatBuffer().get(out);
            return out;
        }
        if (dtype == DType.UINT8) {
            for (int i = 0; i < n; i++) {
                out[i] = data[i] & 0xFF;
            }
            return out;
        }
        if (dtype == DType.FLOAT16) {
            ByteBuffer bb = buffer();
            for (int i = 0; i < n; i++) {
                out[i] = Float16.toFloat(bb.getShort(2 * i)); // exact: every binary16 value is a float
            }
            return out;
        }
        double[] d = toDoubles();
        for (int i = 0; i < n; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    /**
     * The values as {@code int}.
     *
     * @throws IllegalStateException for floating dtypes, or INT64 values outside the int range
     */
    public int[] toInts() {
        if (dtype.isFloating()) {
            throw new IllegalStateException("a " + dtype.descr + " array holds floating-point values, not integers");
        }
        int n = size();
        int[] out = new int[n];
        ByteBuffer bb = buffer();
        for (int i = 0; i < n; i++) {
            long v = switch (dtype) {
                case UINT8 -> data[i] & 0xFF;
                case INT32 -> bb.getInt(4 * i);
                default -> bb.getLong(8 * i);
            };
            if (v != (int) v) {
                throw new IllegalStateException("element " + i + " = " + v + " does not fit in an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /**
     * The array as a matrix: 2-D as is, 1-D as a single column, higher ranks with the trailing dimensions
     * flattened into columns (an {@code n × 28 × 28} array becomes {@code n × 784}).
     *
     * @throws IllegalStateException for a 0-D array
     */
    public FloatMatrix toMatrix() {
        if (shape.length == 0) {
            throw new IllegalStateException("a 0-d array (a scalar) is not a matrix");
        }
        int rows = shape[0];
        int cols = 1;
        for (int i = 1; i < shape.length; i++) {
            cols = Math.multiplyExact(cols, shape[i]);
        }
        return new FloatMatrix(rows, cols, toFloats());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.dtype == dtype && Arrays.equals(a.shape, shape) && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype.descr + " " + Arrays.toString(shape) + "]";
    }
}
