package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.InceptionProtocol;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A feature network written down as a value, so that another JVM (a Spark executor) can open the same network: the
 * embedded MNIST network, pytorch-fid's Inception-v3 from a weight file, or an ONNX file with its outputs, input size
 * and protocol. Files are named by their path where the value was made; {@link #open} is given where each file is on the
 * machine that opens it (Spark ships them and names the local copy).
 *
 * @param kind           {@code mnist-mlp}, {@code inception-v3}, {@code onnx}, or a network built from a checkpoint the
 *                       user names: a DINOv2 backbone ({@code dinov2-vitl14}...) or {@code clip-vitl14-336}
 * @param protocol       the preprocessing protocol's name ({@link InceptionProtocol#parse}); unused by mnist-mlp and the
 *                       checkpoint networks (their protocol is their own)
 * @param file           Inception's weight file or the ONNX file; null for mnist-mlp
 * @param featuresOutput an ONNX file's features output, or null for its only output (else {@code pool})
 * @param logitsOutput   an ONNX file's logits output, or null for none
 * @param size           an ONNX file's square input size, or 0 for its own (else 299)
 */
public record NetworkSpec(String kind, String protocol, String file, String featuresOutput, String logitsOutput, int size)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String MNIST_MLP = "mnist-mlp";
    public static final String ONNX = "onnx";

    public NetworkSpec {
        Objects.requireNonNull(kind, "kind");
        if (!kind.equals(MNIST_MLP) && !kind.equals(InceptionNetwork.NAME) && !kind.equals(ONNX) && !checkpoint(kind)) {
            throw new IllegalArgumentException("a network spec's kind is " + MNIST_MLP + ", " + InceptionNetwork.NAME + ", "
                    + ONNX + ", " + String.join(", ", DinoV2Network.NAMES) + " or " + ClipNetwork.NAME + ", got '" + kind + "'");
        }
        if (checkpoint(kind)) {
            Objects.requireNonNull(file, "file");
        } else if (!kind.equals(MNIST_MLP)) {
            Objects.requireNonNull(file, "file");
            InceptionProtocol.parse(Objects.requireNonNull(protocol, "protocol"));
        }
        if (size < 0) {
            throw new IllegalArgumentException("an input size is at least 1 pixel (or 0 for the network's own), got " + size);
        }
    }

    /** The embedded MNIST network. */
    public static NetworkSpec mnistMlp() {
        return new NetworkSpec(MNIST_MLP, null, null, null, null, 0);
    }

    /** pytorch-fid's Inception-v3 read from {@code weights} (a local copy of the weight file), with {@code protocol}. */
    public static NetworkSpec inception(InceptionProtocol protocol, Path weights) {
        return new NetworkSpec(InceptionNetwork.NAME, protocol.name(), weights.toString(), null, null, 0);
    }

    /** An ONNX image network, as {@link FeatureNetworks#onnx(Path, String, String, int, InceptionProtocol)} takes it. */
    public static NetworkSpec onnx(Path file, String featuresOutput, String logitsOutput, int size, InceptionProtocol protocol) {
        return new NetworkSpec(ONNX, protocol.name(), file.toString(), featuresOutput, logitsOutput, size);
    }

    private static boolean checkpoint(String kind) {
        return DinoV2Network.NAMES.contains(kind) || kind.equals(ClipNetwork.NAME);
    }

    /** DINOv2 ({@code dinov2-vitl14}...) or CLIP ({@code clip-vitl14-336}) from the checkpoint {@code weights}. */
    public static NetworkSpec checkpoint(String name, Path weights) {
        return new NetworkSpec(name, null, weights.toString(), null, null, 0);
    }

    /** The file this network reads (to be shipped to the machines that open it), or null. */
    public Path path() {
        return file == null ? null : Path.of(file);
    }

    /** The file's name, by which a shipped copy is found. */
    public String fileName() {
        return file == null ? null : path().getFileName().toString();
    }

    /**
     * The network, with its file read from where {@code locate} says a file of that name is here. Inception's weights are
     * never downloaded here: they are the given file, and the graph built from them is cached as on one machine.
     */
    public FeatureNetwork open(Function<String, Path> locate) {
        if (kind.equals(MNIST_MLP)) {
            return new MnistMlpNetwork();
        }
        Path local = locate.apply(fileName());
        if (DinoV2Network.NAMES.contains(kind)) {
            return DinoV2Network.of(kind, local);
        }
        if (kind.equals(ClipNetwork.NAME)) {
            return ClipNetwork.of(local);
        }
        InceptionProtocol p = InceptionProtocol.parse(protocol);
        if (kind.equals(ONNX)) {
            return FeatureNetworks.onnx(local, featuresOutput, logitsOutput, size, p);
        }
        return InceptionNetwork.of(p, WeightsResolver.builder().offline(true).build(), local);
    }

    /** What the network is, for logs: {@code inception-v3/tf (pt_inception….pth)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case MNIST_MLP -> MNIST_MLP;
            case ONNX -> fileName() + "/" + protocol.toLowerCase(Locale.ROOT);
            case InceptionNetwork.NAME -> InceptionNetwork.NAME + "/" + protocol + " (" + fileName() + ")";
            default -> kind + " (" + fileName() + ")";
        };
    }
}
