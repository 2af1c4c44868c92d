package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.torch.SafeTensors;
import dev.ganeval.core.torch.Tensor;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.ClipVision;
import dev.ganeval.metrics.features.InceptionProtocol;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI's CLIP ViT-L/14@336px image tower with its projection, from Hugging Face's checkpoint of
 * {@code openai/clip-vit-large-patch14-336} ({@code model.safetensors}, or {@code pytorch_model.bin} in torch's
 * format; only the image tower is read), as CMMD embeds images: {@link InceptionProtocol#CMMD} (centred square crop,
 * Pillow's bicubic to 336, CLIP's normalisation), the projected class token divided by its norm (768-d), the graph
 * built by {@link ClipVision}. The weights are a file the user names ({@code --clip-weights}, or
 * {@value #WEIGHTS_VARIABLE}); see {@link CheckpointNetwork}.
 */
public final class ClipNetwork extends CheckpointNetwork {
    public static final String NAME = "clip-vitl14-336";
    public static final String WEIGHTS_VARIABLE = "GANEVAL_CLIP_WEIGHTS";

    private ClipNetwork(Path weights, Path cacheDir) {
        super(NAME, weights, cacheDir);
    }

    /** @param weights the checkpoint, or null for the file {@value #WEIGHTS_VARIABLE} names */
    public static ClipNetwork of(Path weights) {
        return of(weights, WeightsResolver.builder().build().cacheDir());
    }

    /** As {@link #of(Path)}, keeping the built graph in {@code cacheDir}. */
    public static ClipNetwork of(Path weights, Path cacheDir) {
        return new ClipNetwork(weights, cacheDir);
    }

    /** The image tower's parameters of a safetensors or torch checkpoint. */
    static Map<String, Tensor> imageTower(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".safetensors")) {
            return SafeTensors.read(file, ClipVision.KEYS);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        TorchCheckpoint.read(file).forEach((k, v) -> {
            if (ClipVision.KEYS.test(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    String variable() {
        return WEIGHTS_VARIABLE;
    }

    @Override
    String option() {
        return "--clip-weights";
    }

    @Override
    String publishedUrl() {
        return "https://huggingface.co/openai/clip-vit-large-patch14-336/resolve/main/model.safetensors";
    }

    @Override
    byte[] build(Path file) {
        Map<String, Tensor> tower = imageTower(file);
        try {
            return ClipVision.onnx(tower);
        } catch (InvalidInputException e) {
            throw e.file().isPresent() ? e : new InvalidInputException(file, "is not CLIP's image tower in Hugging Face's "
                    + "names: " + e.getMessage(), e);
        }
    }

    @Override
    int inputSize() {
        // The built (or cached) graph's own input size: 0 lets the extractor read it from the model.
        return 0;
    }

    @Override
    InceptionProtocol preprocessing() {
        return InceptionProtocol.CMMD;
    }

    @Override
    String output() {
        return ClipVision.EMBEDDING;
    }

    @Override
    String graphVersion() {
        return "g1";
    }
}
