package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.ComputeThreads;

import java.util.List;

/**
 * The learning-rate schedule {@link Sgd} and {@link Adam} share: {@code learningRate} divided by {@code decay} after
 * every update, never below the floor, so the update count alone fixes the rate (what a checkpoint restores).
 */
abstract class ScheduledOptimizer implements Optimizer {
    private final double initialLearningRate;
    private final double decay;
    private final double minLearningRate;
    private double learningRate;
    private long updates;

    ScheduledOptimizer(double learningRate, double decay, double minLearningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
        }
        if (!(decay >= 1) || Double.isInfinite(decay)) {
            throw new IllegalArgumentException("the learning-rate decay must be finite and >= 1 (1: constant), got " + decay);
        }
        if (!(minLearningRate >= 0)) {
            throw new IllegalArgumentException("the learning-rate floor must be >= 0, got " + minLearningRate);
        }
        this.initialLearningRate = learningRate;
        this.decay = decay;
        this.minLearningRate = minLearningRate;
        this.learningRate = learningRate;
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final long updates() {
        return updates;
    }

    @Override
    public final void restoreUpdates(long updates) {
        if (updates < 0) {
            throw new IllegalArgumentException("negative update count " + updates);
        }
        this.updates = updates;
        this.learningRate = Math.max(minLearningRate, initialLearningRate / Math.pow(decay, updates));
    }

    /** An update of elements [from, to) of parameter {@code k}. */
    @FunctionalInterface
    interface SliceUpdate {
        void update(int k, int from, int to);
    }

    /**
     * Runs {@code update} over every element of every parameter. The steps are memory-bound: both cores' bandwidth,
     * each core on its own slice of every parameter.
     */
    static void inSlices(List<Parameter> parameters, SliceUpdate update) {
        long elements = 0;
        for (Parameter p : parameters) {
            elements += p.value().data().length;
        }
        ComputeThreads.inShares(elements, (part, parts) -> {
            for (int k = 0; k < parameters.size(); k++) {
                int n = parameters.get(k).value().data().length;
                update.update(k, ComputeThreads.shareBound(n, part, parts), ComputeThreads.shareBound(n, part + 1, parts));
            }
        });
    }

    /** Counts an update done, which decays the rate for the next one. */
    final void updated() {
        restoreUpdates(updates + 1);
    }
}
