package dev.ganeval.core;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.random.RandomGenerator;

/**
 * Anything that produces samples: the reference GAN's generator, an ONNX generator, a lambda. Randomness comes
 * only from the generator passed in, so a seeded one makes the samples reproducible.
 */
@FunctionalInterface
public interface Generator {
    /** {@code n} samples, one per row. */
    FloatMatrix sample(int n, RandomGenerator rng);
}
