package dev.ganeval.metrics.evaluation;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsFile;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.DinoV2;
import dev.ganeval.metrics.features.InceptionProtocol;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A DINOv2 backbone from Meta's published checkpoint ({@code dinov2_vitl14_pretrain.pth} and the S, B, g sizes),
 * as dgm-eval computes FD_DINOv2 with it: images prepared by {@link InceptionProtocol#DGM_EVAL} (Pillow's bicubic to
 * 224 × 224, ImageNet normalisation), the class token after the final norm as the features (1,024-d for ViT-L/14),
 * the graph built by {@link DinoV2}. The weights are downloaded on first use from where torch hub loads them
 * ({@link #publishedFile}), or read from a copy the user names ({@code --dinov2-weights}, or
 * {@value #WEIGHTS_VARIABLE}); see {@link CheckpointNetwork}. Meta publishes no checksum for these files (their names
 * carry no hash prefix and DINOv2's hub code does not check one), so a download is checked for its length and by
 * building the network from it, and results carry the file's SHA-256 prefix in their tag for comparison.
 */
public final class DinoV2Network extends CheckpointNetwork {
    /** The input size dgm-eval resizes to. */
    public static final int IMAGE_SIZE = 224;
    /** The environment variable naming the weight file when none is given. */
    public static final String WEIGHTS_VARIABLE = "GANEVAL_DINOV2_WEIGHTS";
    /** The backbones by registry name. */
    public static final List<String> NAMES = List.of("dinov2-vits14", "dinov2-vitb14", "dinov2-vitl14", "dinov2-vitg14");

    private DinoV2Network(String name, Path weights, WeightsResolver resolver) {
        super(name, publishedFile(name), weights, resolver);
    }

    /**
     * @param name    one of {@link #NAMES}
     * @param weights the checkpoint, or null for the file {@value #WEIGHTS_VARIABLE} names, the cache or a download
     */
    public static DinoV2Network of(String name, Path weights) {
        return of(name, weights, WeightsResolver.builder().build());
    }

    /** As {@link #of(String, Path)}, finding, downloading and caching through {@code resolver}. */
    public static DinoV2Network of(String name, Path weights, WeightsResolver resolver) {
        if (!NAMES.contains(Objects.requireNonNull(name, "name"))) {
            throw new IllegalArgumentException("no DINOv2 backbone named '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return new DinoV2Network(name, weights, resolver);
    }

    /** The published file of a backbone: where DINOv2's torch hub entry points load it from. */
    public static WeightsFile publishedFile(String name) {
        String arch = name.substring("dinov2-".length());
        return WeightsFile.unhashed(URI.create("https://dl.fbaipublicfiles.com/dinov2/dinov2_" + arch + "/dinov2_" + arch
                + "_pretrain.pth"), WEIGHTS_VARIABLE);
    }

    @Override
    OnnxMl.GraphProto build(Path file) {
        try {
            return DinoV2.graphConsuming(TorchCheckpoint.read(file), IMAGE_SIZE, IMAGE_SIZE);
        } catch (InvalidInputException e) {
            throw e.file().isPresent() ? e : new InvalidInputException(file, "is not a DINOv2 backbone checkpoint: "
                    + e.getMessage(), e);
        }
    }

    @Override
    int inputSize() {
        return IMAGE_SIZE;
    }

    @Override
    InceptionProtocol preprocessing() {
        return InceptionProtocol.DGM_EVAL;
    }

    @Override
    String output() {
        return DinoV2.FEATURES;
    }

    /** The class token's width: 384, 768, 1,024 and 1,536 for S, B, L and g. */
    @Override
    int publishedDim() {
        return switch (name()) {
            case "dinov2-vits14" -> 384;
            case "dinov2-vitb14" -> 768;
            case "dinov2-vitl14" -> 1024;
            default -> 1536;
        };
    }

    @Override
    String graphVersion() {
        return "g2";
    }
}
