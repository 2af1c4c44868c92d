package dev.ganeval.cli;

import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.FeatureNetworks;
import dev.ganeval.metrics.evaluation.GivenRows;
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
            + "your own network), used as they are, with no network.")
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

    /**
     * Sets {@code request}'s network from the options: the rows as features with --features, --network's ONNX file
     * (its --output features, {@code logitsOutput} for class logits, --size pixels), or none, where the library takes
     * the embedded MNIST network for 28x28 gray samples and says what to pass for others.
     */
    void networkFor(Evaluation.Builder request, String logitsOutput) {
        if (features) {
            if (network != null) {
                throw new IllegalArgumentException("give --features (the inputs are features) or --network (extract them), not both");
            }
            request.network(FeatureNetworks.named(GivenRows.FEATURES));
        } else if (network != null) {
            request.network(FeatureNetworks.onnx(network, output, logitsOutput, size));
        }
    }

    /** With --features the inputs are features: a generator's samples would need a network. */
    void requireDataWithFeatures(String spec, GeneratorOptions gen) {
        if (features && gen.draws(spec)) {
            throw new IllegalArgumentException("--features gives features, but " + spec + " is a generator, whose samples "
                    + "need a --network; drop --features");
        }
    }
}
