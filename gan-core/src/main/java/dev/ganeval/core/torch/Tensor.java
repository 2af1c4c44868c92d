package dev.ganeval.core.torch;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a PyTorch checkpoint holds it: its element type, its shape and its values in row-major (C) order, the
 * view already resolved (storage offset and strides applied). Immutable: accessors return copies.
 */
public final class Tensor {
    /** The element types a checkpoint's tensors are read from. */
    public enum DType {
        FLOAT32, FLOAT64, FLOAT16, BFLOAT16, INT64;

        /** Bytes per element in a storage. */
        public int bytes() {
            return switch (this) {
                case FLOAT32 -> 4;
                case FLOAT64, INT64 -> 8;
                case FLOAT16, BFLOAT16 -> 2;
            };
        }
    }

    private final DType dtype;
    private final int[] shape;
    /** float32, float16 and bfloat16 values (widened exactly to float32). */
    private final float[] floats;
    /** float64 values. */
    private final double[] doubles;
    /** int64 values. */
    private final long[] longs;

    private Tensor(DType dtype, int[] shape, float[] floats, double[] doubles, long[] longs) {
        this.dtype = dtype;
        this.shape = shape;
        this.floats = floats;
        this.doubles = doubles;
        this.longs = longs;
    }

    /**
     * A floating-point tensor of float32 values (or float16/bfloat16 values widened to float32, which is exact).
     *
     * @throws IllegalArgumentException when the value count is not the shape's product or the type is not float32,
     *                                  float16 or bfloat16
     */
    public static Tensor ofFloats(DType dtype, int[] shape, float[] values) {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT16 && dtype != DType.BFLOAT16) {
            throw new IllegalArgumentException("float values are for float32, float16 or bfloat16 tensors, not " + dtype);
        }
        check(shape, values.length);
        return new Tensor(dtype, shape.clone(), values.clone(), null, null);
    }

    /** A float32 tensor. */
    public static Tensor ofFloats(int[] shape, float[] values) {
        return ofFloats(DType.FLOAT32, shape, values);
    }

    /** A float64 tensor. */
    public static Tensor ofDoubles(int[] shape, double[] values) {
        check(shape, values.length);
        return new Tensor(DType.FLOAT64, shape.clone(), null, values.clone(), null);
    }

    /** An int64 tensor. */
    public static Tensor ofLongs(int[] shape, long[] values) {
        check(shape, values.length);
        return new Tensor(DType.INT64, shape.clone(), null, null, values.clone());
    }

    /**
     * A tensor that takes the reader's freshly built arrays without copying them: the one array its type holds
     * (float for float32/16 and bfloat16, double for float64, long for int64), the others null.
     */
    static Tensor adopt(DType dtype, int[] shape, float[] floats, double[] doubles, long[] longs) {
        check(shape, floats != null ? floats.length : doubles != null ? doubles.length : longs.length);
        return new Tensor(dtype, shape, floats, doubles, longs);
    }

    private static void check(int[] shape, int count) {
        Objects.requireNonNull(shape, "shape");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got " + count);
        }
    }

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int size() {
        return floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
    }

    /** The values as float32: exact for float32/16 and bfloat16, rounded for float64 and int64. */
    public float[] toFloats() {
        if (floats != null) {
            return floats.clone();
        }
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles != null ? (float) doubles[i] : (float) longs[i];
        }
        return out;
    }

    /** The values as float64 (exact for every type but int64 beyond 2⁵³). */
    public double[] toDoubles() {
        if (doubles != null) {
            return doubles.clone();
        }
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats != null ? floats[i] : (double) longs[i];
        }
        return out;
    }

    /**
     * The values of an int64 tensor.
     *
     * @throws IllegalStateException for a floating-point tensor
     */
    public long[] toLongs() {
        if (longs == null) {
            throw new IllegalStateException("a " + dtype + " tensor has no int64 values");
        }
        return longs.clone();
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype.name().toLowerCase(java.util.Locale.ROOT) + " " + Arrays.toString(shape) + "]";
    }
}
