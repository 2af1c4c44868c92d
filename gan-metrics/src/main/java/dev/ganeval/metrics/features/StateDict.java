package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.torch.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A network's state dict as a graph builder reads it: each parameter taken by name once, checked for shape and finite
 * values, and the keys left over refused at the end (a checkpoint of another network, or of a variant with heads this
 * one does not build, must not be half-read in silence). Errors name the key and say what was expected.
 *
 * <p>Each tensor is removed from the map it was given as it is taken, so a checkpoint's memory is freed while the
 * graph that copies it grows (ViT-L/14: 1.2 GB each, which otherwise must fit in the heap together). An unmodifiable
 * map is left as it is.
 */
final class StateDict {
    private final Map<String, Tensor> weights;
    private final String network;
    /** The shapes of the tensors taken, which are no longer held. */
    private final Map<String, int[]> taken = new HashMap<>();
    private boolean removing = true;

    /**
     * @param weights the parameters, emptied as they are taken
     * @param network what the parameters are of, for messages: {@code pytorch-fid's FID Inception-v3}
     */
    StateDict(Map<String, Tensor> weights, String network) {
        this.weights = weights;
        this.network = network;
    }

    boolean has(String key) {
        return weights.containsKey(key) || taken.containsKey(key);
    }

    /** The shape of the tensor under {@code key} (taken or not) without marking it read, or null when there is none. */
    int[] peekShape(String key) {
        Tensor t = weights.get(key);
        return t == null ? taken.get(key) : t.shape();
    }

    /**
     * The tensor under {@code key}, marked as read.
     *
     * @throws IllegalStateException when it was taken before (it is no longer held)
     */
    Tensor take(String key) {
        if (taken.containsKey(key)) {
            throw new IllegalStateException("state dict: '" + key + "' is taken a second time (keep what the first take read)");
        }
        Tensor t = weights.get(key);
        if (t == null) {
            throw new InvalidInputException("state dict: missing '" + key + "', which " + network + " needs"
                    + (weights.containsKey("module." + key) ? " (the keys carry a 'module.' prefix: strip it)" : ""));
        }
        taken.put(key, t.shape());
        if (removing) {
            try {
                weights.remove(key);
            } catch (UnsupportedOperationException e) {
                removing = false;
            }
        }
        return t;
    }

    /** A tensor of exactly {@code shape}. */
    Tensor take(String key, int... shape) {
        Tensor t = take(key);
        if (!Arrays.equals(t.shape(), shape)) {
            throw badShape(key, t.shape(), Arrays.toString(shape));
        }
        return t;
    }

    /** A 1-D tensor of {@code length} finite values. */
    double[] vector(String key, int length) {
        return values(key, take(key, length));
    }

    /** A tensor's finite floating-point values. */
    static double[] values(String key, Tensor t) {
        if (t.dtype() == Tensor.DType.INT64) {
            throw new InvalidInputException("state dict: '" + key + "' is an int64 tensor; a floating-point one is needed");
        }
        double[] v = t.toDoubles();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new InvalidInputException("state dict: '" + key + "' holds " + v[i] + " at " + i);
            }
        }
        return v;
    }

    static float[] floats(String key, Tensor t) {
        return toFloats(values(key, t));
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static InvalidInputException badShape(String key, int[] shape, String expected) {
        return new InvalidInputException("state dict: '" + key + "' has shape " + Arrays.toString(shape) + ", expected "
                + expected);
    }

    /** Refuses the keys no layer took, naming the first few; {@code why} ends the message (what was built). */
    void refuseUnexpectedKeys(String why) {
        Set<String> extra = new TreeSet<>(weights.keySet());
        extra.removeAll(taken.keySet());
        if (extra.isEmpty()) {
            return;
        }
        List<String> keys = List.copyOf(extra);
        String more = keys.size() == 1 ? "" : " (and " + (keys.size() - 1) + " more: "
                + String.join(", ", keys.subList(1, Math.min(keys.size(), 6))) + (keys.size() > 6 ? ", ..." : "") + ")";
        throw new InvalidInputException("state dict: unexpected key '" + keys.get(0) + "'" + more + ", not a parameter of "
                + network + why);
    }
}
