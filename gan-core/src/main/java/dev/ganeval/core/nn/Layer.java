package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.List;

/**
 * One differentiable step of a network over a minibatch (one sample per row). {@link #forward} remembers what
 * {@link #backward} needs, so a backward call refers to the latest forward call. Not thread-safe.
 */
public interface Layer {
    /**
     * @param training whether this pass trains (dropout masks are drawn only then)
     */
    FloatMatrix forward(FloatMatrix x, boolean training);

    /**
     * Given ∂loss/∂output of the latest forward pass, adds ∂loss/∂parameters into the parameters' gradients and
     * returns ∂loss/∂input.
     */
    FloatMatrix backward(FloatMatrix gradOutput);

    /** The trainable parameters (none for activations). */
    default List<Parameter> parameters() {
        return List.of();
    }
}
