package dev.ganeval.metrics.features;

import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.ModelLoadException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Networks shipped inside ganeval. {@code mnist-mlp}: 784 → ReLU 256 → 10, trained by
 * {@code ganeval classifier --out mnist-mlp.onnx} (defaults: 12 epochs, SGD lr 0.01, momentum 0.9, seed 1) on MNIST
 * train with inputs mapped to [−1, 1]; 97.88 % test accuracy. Its {@code features} output (the 256 hidden units)
 * serves FID/KID/PRDC, its {@code logits} the Inception Score, for 28×28 grayscale data when no network is
 * given. Results made with it must be labelled as such (e.g. {@code FID[mnist-mlp]}), never as Inception.
 */
public final class EmbeddedNetworks {
    /** The short name reports use: {@code FID[mnist-mlp]}. */
    public static final String MNIST_MLP = "mnist-mlp";

    private EmbeddedNetworks() {}

    /** The MNIST network reading {@code output} ({@code features} or {@code logits}) of 28×28 grayscale rows. */
    public static OnnxFeatureExtractor mnist(String output, Device device) {
        return new OnnxFeatureExtractor(mnistBytes(), MNIST_MLP + ".onnx", output, 1, 28, 28, 28, device, 1000);
    }

    /** The embedded model file itself, e.g. to inspect it or run it elsewhere. */
    public static byte[] mnistBytes() {
        try (InputStream in = EmbeddedNetworks.class.getResourceAsStream("mnist-mlp.onnx")) {
            if (in == null) {
                throw new ModelLoadException("the embedded mnist-mlp.onnx is missing from the classpath", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the embedded mnist-mlp.onnx: " + e.getMessage(), e);
        }
    }
}
