package dev.ganeval.core;

import dev.ganeval.core.linalg.FloatMatrix;

/**
 * Anything that judges samples real or fake: the GAN's own discriminator, an ONNX model, a lambda. The metrics
 * that consume one (the real/fake ratio) treat it as a black box.
 */
@FunctionalInterface
public interface Discriminator {
    /**
     * The probability that each row is real, in [0, 1].
     *
     * @param samples one sample per row
     * @return one probability per row
     */
    float[] probabilityReal(FloatMatrix samples);
}
