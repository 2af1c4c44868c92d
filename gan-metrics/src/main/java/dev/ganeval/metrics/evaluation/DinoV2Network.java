package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.DinoV2;
import dev.ganeval.metrics.features.InceptionProtocol;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A DINOv2 backbone from Meta's published checkpoint ({@code dinov2_vitl14_pretrain.pth} and the S, B, g sizes),
 * as dgm-eval computes FD_DINOv2 with it: images prepared by {@link InceptionProtocol#DGM_EVAL} (Pillow's bicubic to
 * 224 × 224, ImageNet normalisation), the class token after the final norm as the features (1,024-d for ViT-L/14),
 * the graph built by {@link DinoV2}. The weights are a file the user names ({@code --dinov2-weights}, or
 * {@value #WEIGHTS_VARIABLE}); see {@link CheckpointNetwork}.
 */
public final class DinoV2Network extends CheckpointNetwork {
    /** The input size dgm-eval resizes to. */
    public static final int IMAGE_SIZE = 224;
    /** The environment variable naming the weight file when none is given. */
    public static final String WEIGHTS_VARIABLE = "GANEVAL_DINOV2_WEIGHTS";
    /** The backbones by registry name. */
    public static final List<String> NAMES = List.of("dinov2-vits14", "dinov2-vitb14", "dinov2-vitl14", "dinov2-vitg14");

    private DinoV2Network(String name, Path weights, Path cacheDir) {
        super(name, weights, cacheDir);
    }

    /**
     * @param name    one of {@link #NAMES}
     * @param weights the checkpoint, or null for the file {@value #WEIGHTS_VARIABLE} names
     */
    public static DinoV2Network of(String name, Path weights) {
        return of(name, weights, WeightsResolver.builder().build().cacheDir());
    }

    /** As {@link #of(String, Path)}, keeping the built graph in {@code cacheDir}. */
    public static DinoV2Network of(String name, Path weights, Path cacheDir) {
        if (!NAMES.contains(Objects.requireNonNull(name, "name"))) {
            throw new IllegalArgumentException("no DINOv2 backbone named '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return new DinoV2Network(name, weights, cacheDir);
    }

    @Override
    String variable() {
        return WEIGHTS_VARIABLE;
    }

    @Override
    String option() {
        return "--dinov2-weights";
    }

    /** The published file of this backbone: where Meta's hub loads it from. */
    @Override
    public String publishedUrl() {
        String arch = name().substring("dinov2-".length());
        return "https://dl.fbaipublicfiles.com/dinov2/dinov2_" + arch + "/dinov2_" + arch + "_pretrain.pth";
    }

    @Override
    byte[] build(Path file) {
        try {
            return DinoV2.onnx(TorchCheckpoint.read(file), IMAGE_SIZE, IMAGE_SIZE);
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

    @Override
    String graphVersion() {
        return "g1";
    }
}
