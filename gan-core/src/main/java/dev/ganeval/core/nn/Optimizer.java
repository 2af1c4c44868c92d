package dev.ganeval.core.nn;

import java.util.List;

/**
 * An update rule for a list of parameters from their accumulated gradients, with the learning-rate schedule the
 * 2014 GAN uses (divided by a factor after every update, down to a floor): {@link Sgd} (the paper's) or {@link Adam}.
 */
public interface Optimizer {
    /**
     * One step on every parameter; with {@code clearGradients} the gradients are set to zero for the next minibatch
     * in the same pass over memory.
     */
    void step(List<Parameter> parameters, int epoch, boolean clearGradients);

    /** The learning rate the next update will use. */
    double learningRate();

    /** The momentum coefficient used during {@code epoch} (Adam's β1), for the training log. */
    double momentum(int epoch);

    /** Updates done so far. */
    long updates();

    /** Restores the update count (and with it the decayed learning rate and Adam's bias corrections), for checkpoints. */
    void restoreUpdates(long updates);

    /**
     * The state buffers of a parameter, each as long as its values (created zero on first use), in a fixed order:
     * what a checkpoint saves and restores ({@link Sgd}: the velocity; {@link Adam}: the first and second moments).
     */
    List<float[]> state(Parameter p);
}
