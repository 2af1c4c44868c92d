package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.features.EmbeddedNetworks;

/**
 * The embedded MNIST network ({@link EmbeddedNetworks#mnist}): its {@code features} (256 hidden units) for FID, KID
 * and PRDC and its {@code logits} for the Inception Score, on 28×28 grayscale images or rows of 784 pixels.
 */
public final class MnistMlpNetwork implements FeatureNetwork {
    @Override
    public String name() {
        return EmbeddedNetworks.MNIST_MLP;
    }

    @Override
    public boolean givesLogits() {
        return true;
    }

    @Override
    public boolean takesPixels() {
        return true;
    }

    @Override
    public Session open(int channels, int height, int width, Device device, boolean logits) {
        boolean mnistShaped = channels == 1 && (height == 28 && width == 28 || height == 1 && width == 28 * 28);
        if (!mnistShaped) {
            // Folders are read in colour unless asked for gray (as pytorch-fid does), so gray digits land here as 3x28x28.
            boolean colourDigits = channels == 3 && height == 28 && width == 28;
            throw new InvalidInputException("the embedded MNIST network takes 28x28 grayscale images, and the samples are "
                    + channels + "x" + height + "x" + width + "; "
                    + (colourDigits ? "image folders are read in colour unless --gray is given: add --gray for gray digits, or " : "")
                    + "pass --network model.onnx (see docs/metrics.md)");
        }
        return new OnnxNetwork.Extracting(EmbeddedNetworks.mnist("features", device), "features", logits ? "logits" : null);
    }
}
