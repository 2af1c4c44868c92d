package dev.ganeval.core.torch;

import dev.ganeval.core.data.Float16;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;

/**
 * A tensor as the pickle describes it, before its storage's bytes are read: a view (element offset, shape, strides in
 * elements) of a storage, with the element type. Built by the rebuild functions and checked then: the shape fits a
 * Java array, the strides are non-negative and the view's last element lies inside the storage.
 *
 * @param count the number of elements (the shape's product)
 */
record TensorRef(StorageRef storage, Tensor.DType dtype, long offset, int[] shape, long[] stride, int count) {
    /** More dimensions than any checkpoint has; a bound so that a size tuple reused by many tensors stays cheap. */
    static final int MAX_DIMS = 64;
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * The tensor of torch._utils' {@code _rebuild_tensor(storage, offset, size, stride)},
     * {@code _rebuild_tensor_v2(..., requires_grad, backward_hooks[, metadata])} or
     * {@code _rebuild_tensor_v3(..., requires_grad, backward_hooks, dtype[, metadata])}. requires_grad and the hooks
     * (an empty OrderedDict in every file torch writes) are ignored; metadata may only be empty or all-false flags.
     */
    static TensorRef rebuild(Globals.Callable fn, Unpickler.Tuple args) {
        int n = args.size();
        boolean arity = switch (fn) {
            case REBUILD_TENSOR -> n == 4;
            case REBUILD_TENSOR_V2 -> n == 6 || n == 7;
            case REBUILD_TENSOR_V3 -> n == 7 || n == 8;
            default -> false;
        };
        if (!arity) {
            throw new Unpickler.Refusal(fn.pythonName + " called with " + n + " arguments");
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw new Unpickler.Refusal(fn.pythonName + "'s storage is " + Unpickler.describe(args.get(0)));
        }
        long offset = nonNegative(args.get(1), "storage offset");
        long[] size = ints(args.get(2), "size");
        long[] stride = ints(args.get(3), "stride");
        if (size.length != stride.length) {
            throw new Unpickler.Refusal("a tensor with " + size.length + " sizes and " + stride.length + " strides");
        }
        Tensor.DType dtype;
        Object metadata;
        if (fn == Globals.Callable.REBUILD_TENSOR_V3) {
            if (!(args.get(6) instanceof Globals.DTypeValue d)) {
                throw new Unpickler.Refusal(fn.pythonName + "'s dtype is " + Unpickler.describe(args.get(6)));
            }
            dtype = d.dtype();
            metadata = n == 8 ? args.get(7) : null;
        } else {
            dtype = storage.dtype();
            if (dtype == null) {
                throw new Unpickler.Refusal(fn.pythonName + " over an untyped storage, which only _rebuild_tensor_v3"
                        + " gives a dtype");
            }
            metadata = n == 7 ? args.get(6) : null;
        }
        requirePlain(metadata);
        int[] shape = new int[size.length];
        long count = 1;
        for (int i = 0; i < size.length; i++) {
            if (size[i] > MAX_ELEMENTS || (size[i] != 0 && count > MAX_ELEMENTS / size[i])) {
                throw new Unpickler.Refusal("a tensor of shape " + Arrays.toString(size)
                        + " has more elements than this reader holds in one array (2³¹ − 9)");
            }
            shape[i] = (int) size[i];
            count *= size[i];
        }
        if (count > 0) {
            long capacity = storage.nbytes() / dtype.bytes();
            long last = offset;
            boolean overflow = false;
            try {
                for (int i = 0; i < size.length; i++) {
                    last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            } catch (ArithmeticException e) {
                overflow = true;
            }
            if (overflow || last >= capacity) {
                throw new Unpickler.Refusal("storage too short for a view: a " + dtype.name().toLowerCase(java.util.Locale.ROOT)
                        + " tensor of shape " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                        + " and offset " + offset + " reaches element " + (overflow ? "beyond 2⁶³" : String.valueOf(last))
                        + ", " + storage.label() + " holds " + capacity);
            }
        }
        return new TensorRef(storage, dtype, offset, shape, stride, (int) count);
    }

    private static long nonNegative(Object o, String what) {
        if (!(o instanceof Long v) || v < 0) {
            throw new Unpickler.Refusal("a tensor's " + what + " is " + Unpickler.describe(o) + ", not an int ≥ 0");
        }
        return v;
    }

    private static long[] ints(Object o, String what) {
        java.util.List<?> items = o instanceof Unpickler.Tuple t ? t.asList() : o instanceof ArrayList<?> l ? l : null;
        if (items == null) {
            throw new Unpickler.Refusal("a tensor's " + what + " is " + Unpickler.describe(o) + ", not a tuple");
        }
        if (items.size() > MAX_DIMS) {
            throw new Unpickler.Refusal("a tensor with " + items.size() + " dimensions (this reader takes up to "
                    + MAX_DIMS + ")");
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(items.get(i), what + " entry");
        }
        return out;
    }

    /** Tensor metadata torch 2 may add: flags such as a negated or conjugated view; only all-false is plain. */
    private static void requirePlain(Object metadata) {
        if (metadata == null) {
            return;
        }
        if (metadata instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (!Boolean.FALSE.equals(v)) {
                    throw new Unpickler.Refusal("tensor metadata other than false flags (a negated or conjugated view)"
                            + " is not supported");
                }
            }
            return;
        }
        throw new Unpickler.Refusal("tensor metadata is " + Unpickler.describe(metadata) + ", not a dict");
    }

    /** Bytes of the {@link Tensor} this becomes (float16 and bfloat16 widen to float32). */
    long outputBytes() {
        return (long) count * (dtype == Tensor.DType.FLOAT64 || dtype == Tensor.DType.INT64 ? 8 : 4);
    }

    /**
     * The values, gathered in row-major order from the stored storage's bytes (little-endian, the whole stored
     * storage, already checked to hold this view).
     */
    Tensor build(ByteBuffer data) {
        int es = dtype.bytes();
        float[] f = null;
        double[] d = null;
        long[] l = null;
        switch (dtype) {
            case FLOAT64 -> d = new double[count];
            case INT64 -> l = new long[count];
            default -> f = new float[count];
        }
        int nd = shape.length;
        if (count > 0) {
            int inner = nd == 0 ? 1 : shape[nd - 1];
            long step = nd == 0 ? 0 : stride[nd - 1] * es;
            int[] index = new int[Math.max(nd - 1, 0)];
            long base = storage.byteOffset() + offset * es;
            for (int out = 0; out < count; out += inner) {
                long pos = base;
                for (int j = 0; j < inner; j++, pos += step) {
                    int p = (int) pos;
                    switch (dtype) {
                        case FLOAT32 -> f[out + j] = data.getFloat(p);
                        case FLOAT16 -> f[out + j] = Float16.toFloat(data.getShort(p));
                        case BFLOAT16 -> f[out + j] = Float.intBitsToFloat((data.getShort(p) & 0xffff) << 16);
                        case FLOAT64 -> d[out + j] = data.getDouble(p);
                        case INT64 -> l[out + j] = data.getLong(p);
                    }
                }
                for (int k = nd - 2; k >= 0; k--) {
                    base += stride[k] * es;
                    if (++index[k] < shape[k]) {
                        break;
                    }
                    base -= shape[k] * stride[k] * es;
                    index[k] = 0;
                }
            }
        }
        return Tensor.adopt(dtype, shape, f, d, l);
    }
}
