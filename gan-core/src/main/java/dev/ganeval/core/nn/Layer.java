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

    /** Which gradients a backward pass computes; skipping one saves its matrix products. */
    enum Gradients {
        /** Add ∂loss/∂parameters into the parameters' gradients and return ∂loss/∂input. */
        ALL,
        /** Add ∂loss/∂parameters only; the pass returns {@code null}. For a network's first layer. */
        PARAMETERS,
        /** Return ∂loss/∂input and leave the parameters' gradients untouched: backpropagation through a
         * network that another loss trains (the GAN's generator loss through the discriminator). */
        INPUT
    }

    /**
     * Given ∂loss/∂output of the latest forward pass, adds ∂loss/∂parameters into the parameters' gradients and
     * returns ∂loss/∂input.
     */
    default FloatMatrix backward(FloatMatrix gradOutput) {
        return backward(gradOutput, Gradients.ALL);
    }

    /**
     * Backward pass computing only {@code what}; it may be called more than once after one forward pass.
     *
     * @return ∂loss/∂input, or {@code null} for {@link Gradients#PARAMETERS}
     */
    FloatMatrix backward(FloatMatrix gradOutput, Gradients what);

    /**
     * Double backpropagation, for a penalty P on the input gradient (WGAN-GP's): after {@code backward(gradOutput,
     * INPUT)} returned this layer's input gradient {@code gx}, given {@code adjoint} = ∂P/∂gx, adds to the parameters'
     * gradients what P owes them through gx, and returns ∂P/∂gradOutput, the adjoint for the layer after this one.
     * Exact for layers whose input gradient depends on the input only through a piecewise-constant mask (linear
     * layers, ReLU): their second derivative in the input is zero almost everywhere, so nothing flows back into the
     * forward pass.
     *
     * @param gradOutput the gradient the latest {@code backward} was given
     * @throws UnsupportedOperationException for a layer whose input gradient varies smoothly with its input
     */
    default FloatMatrix backwardOfBackward(FloatMatrix adjoint, FloatMatrix gradOutput) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no second backward pass (a penalty on "
                + "the input gradient needs linear layers and ReLU)");
    }

    /** The trainable parameters (none for activations). */
    default List<Parameter> parameters() {
        return List.of();
    }
}
