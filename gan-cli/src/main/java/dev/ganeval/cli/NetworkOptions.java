package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.features.EmbeddedNetworks;
import dev.ganeval.metrics.features.FeatureExtractor;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The feature-network options shared by the commands that extract features, and the choice they imply. */
final class NetworkOptions {
    @Option(names = "--network", paramLabel = "NET.onnx", description = "ONNX feature network (default: the embedded MNIST network for 28x28 gray data).")
    Path network;

    @Option(names = "--output", paramLabel = "NAME", defaultValue = "pool", description = "Network output with features (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "299", description = "The network's square input size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--gray", description = "Read image folders as grayscale.")
    boolean gray;

    @Option(names = "--features", description = "The inputs are feature vectors already (an n x d .npy, e.g. from "
            + "your own network): FID, KID, PRDC and W2 are computed on them as given, with no network.")
    boolean features;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    Device device() {
        return device.device();
    }

    /** Refuses --output and --size without --network: the embedded network has its own outputs and input size. */
    void requireNetworkForItsOptions() {
        OptionUse.onlyWhere(mixee, network != null, "applies to --network; the embedded MNIST network takes 28x28 images "
                + "and has the outputs 'features' and 'logits'", "--output", "--size");
        if (size < 1) {
            throw new IllegalArgumentException("--size must be at least 1 pixel, got " + size + " (Inception-v3 takes 299)");
        }
    }

    /** What reports call the network: the ONNX file's name, {@code mnist-mlp}, or {@code features} for --features. */
    String label() {
        return features ? "features" : network == null ? EmbeddedNetworks.MNIST_MLP : network.getFileName().toString();
    }

    /**
     * The network that extracts {@code source}'s features ({@link #extractor} with the same arguments), or null with
     * {@code --features}, where the rows are the features ({@link #orRows}). A null resource is fine in a
     * try-with-resources.
     */
    OnnxFeatureExtractor networkFor(SampleSource source, String networkOutput, String embeddedOutput) {
        if (!features) {
            return extractor(source, networkOutput, embeddedOutput);
        }
        if (network != null) {
            throw new IllegalArgumentException("give --features (the inputs are features) or --network (extract them), not both");
        }
        return null;
    }

    /** {@code network}, or with --features (network null) the rows of {@code source} as they are. */
    static FeatureExtractor orRows(OnnxFeatureExtractor network, SampleSource source) {
        return network != null ? network : FeatureExtractor.identity(source.channels() * source.height() * source.width());
    }

    /** With --features the inputs are features: a generator's samples would need a network. */
    void requireDataWithFeatures(String spec, GeneratorOptions gen) {
        if (features && gen.draws(spec)) {
            throw new IllegalArgumentException("--features gives features, but " + spec + " is a generator, whose samples "
                    + "need a --network; drop --features");
        }
    }

    /**
     * Samples must be pixels in [0, 1] before a network sees them; feature vectors may hold any finite value. For a
     * batch whose first row is row {@code firstRow} of {@code source}.
     */
    void requirePixels(FloatMatrix samples, long firstRow, SampleSource source) {
        if (!features) {
            UnitRange.require(samples, firstRow, source.describe(), OnnxFeatureExtractor.PIXELS_IN_UNIT_RANGE);
        }
    }

    /**
     * The extractor reading {@code networkOutput} of {@code --network}, or {@code embeddedOutput} of the embedded
     * MNIST network when none was given (which needs 28×28 grayscale samples, or rows of 784 flattened pixels).
     */
    OnnxFeatureExtractor extractor(SampleSource geometry, String networkOutput, String embeddedOutput) {
        if (network != null) {
            if (geometry.flat()) {
                throw new InvalidInputException(geometry.describe() + " holds plain rows of " + geometry.width()
                        + " values, not images, so they cannot be resized for " + network.getFileName()
                        + ": save the samples as images (an n x h x w .npy, a folder or an IDX file)");
            }
            return new OnnxFeatureExtractor(network, networkOutput, geometry.channels(), geometry.height(), geometry.width(),
                    size, device(), 50);
        }
        boolean mnistShaped = geometry.channels() == 1 && (geometry.height() == 28 && geometry.width() == 28
                || geometry.height() == 1 && geometry.width() == 28 * 28);
        if (!mnistShaped) {
            // Folders are read in colour unless --gray is given (as pytorch-fid does), so gray digits land here as 3x28x28.
            boolean colourDigits = geometry.channels() == 3 && geometry.height() == 28 && geometry.width() == 28;
            throw new InvalidInputException("no --network was given and the samples are " + geometry.channels() + "x"
                    + geometry.height() + "x" + geometry.width() + ", not 28x28 grayscale; "
                    + (colourDigits ? "image folders are read in colour unless --gray is given: add --gray for gray digits, or "
                            : "")
                    + "pass --network model.onnx (see docs/metrics.md)");
        }
        return EmbeddedNetworks.mnist(embeddedOutput, device());
    }
}
