package dev.ganeval.core.gan;

/**
 * What one training epoch did: mean discriminator loss {@code 0.5·[BCE(1, D(x)) + BCE(0, D(G(z)))]}, mean
 * generator loss {@code −log D(G(z))}, and the mean discriminator outputs on real and generated batches.
 */
public record EpochStats(int epoch, double discriminatorLoss, double generatorLoss, double meanDReal,
                         double meanDFake, double learningRate, double momentum, double seconds) {
    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "epoch %d: D loss %.4f, G loss %.4f, D(x) %.3f, D(G(z)) %.3f, lr %.5f, momentum %.3f, %.1f s",
                epoch, discriminatorLoss, generatorLoss, meanDReal, meanDFake, learningRate, momentum, seconds);
    }
}
