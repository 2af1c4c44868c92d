package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Arrays;
import java.util.Objects;

/**
 * A trainable tensor (kept as a matrix) and the gradient accumulated into it by backward passes. Optimisers
 * read {@link #grad()} and update {@link #value()} in place.
 */
public final class Parameter {
    private final String name;
    private final FloatMatrix value;
    private final FloatMatrix grad;

    public Parameter(String name, FloatMatrix value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        this.grad = new FloatMatrix(value.rows(), value.cols());
    }

    public String name() {
        return name;
    }

    public FloatMatrix value() {
        return value;
    }

    public FloatMatrix grad() {
        return grad;
    }

    /** Sets the gradient to zero before the next backward pass. */
    public void zeroGrad() {
        Arrays.fill(grad.data(), 0f);
    }

    @Override
    public String toString() {
        return name + value;
    }
}
