package dev.ganeval.core.nn;

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

    /** Counts an update done, which decays the rate for the next one. */
    final void updated() {
        restoreUpdates(updates + 1);
    }
}
