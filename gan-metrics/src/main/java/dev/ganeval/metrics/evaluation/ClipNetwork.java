package dev.ganeval.metrics.evaluation;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.torch.SafeTensors;
import dev.ganeval.core.torch.Tensor;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsFile;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.ClipVision;
import dev.ganeval.metrics.features.InceptionProtocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * OpenAI's CLIP ViT-L/14@336px image tower with its projection, as CMMD embeds images: {@link InceptionProtocol#CMMD}
 * (centred square crop, Pillow's bicubic to 336, CLIP's normalisation), the projected class token divided by its norm
 * (768-d), the graph built by {@link ClipVision}.
 *
 * <p>The weights: OpenAI's own release, {@code ViT-L-14-336px.pt} (a TorchScript archive of the whole model, most
 * weights in float16, about 890 MB), downloaded on first use from the URL OpenAI's {@code clip} package uses, which
 * carries the file's full SHA-256 ({@link #PUBLISHED}; checked on every use). A copy the user names
 * ({@code --clip-weights}, or {@value #WEIGHTS_VARIABLE}) may instead be Hugging Face's conversion of the same model,
 * {@code openai/clip-vit-large-patch14-336} ({@code model.safetensors} or {@code pytorch_model.bin}), the files
 * CMMD's reference code loads; transformers' conversion script reads OpenAI's file through {@code clip.load} on the
 * CPU, which widens it to float32, so both should hold the same values (not checked here: neither file can be fetched
 * on the machines this was written on), but only OpenAI's file has a published hash to check (others are used with
 * the resolver's warning). Only the image tower is read; the format is told by the file's first bytes, and the naming
 * (OpenAI's {@code visual.*} or Hugging Face's) by its keys.
 */
public final class ClipNetwork extends CheckpointNetwork {
    public static final String NAME = "clip-vitl14-336";
    public static final String WEIGHTS_VARIABLE = "GANEVAL_CLIP_WEIGHTS";
    /** OpenAI's release, its SHA-256 the folder it is published under (as OpenAI's clip package checks it). */
    public static final WeightsFile PUBLISHED = WeightsFile.withSha256("ViT-L-14-336px.pt", URI.create(
            "https://openaipublic.azureedge.net/clip/models/"
                    + "3035c92b350959924f9f00213499208652fc7ea050643e8b385c2dac08641f02/ViT-L-14-336px.pt"),
            "3035c92b350959924f9f00213499208652fc7ea050643e8b385c2dac08641f02", WEIGHTS_VARIABLE);

    private ClipNetwork(Path weights, WeightsResolver resolver) {
        super(NAME, PUBLISHED, weights, resolver);
    }

    /** @param weights the checkpoint, or null for the file {@value #WEIGHTS_VARIABLE} names, the cache or a download */
    public static ClipNetwork of(Path weights) {
        return of(weights, WeightsResolver.builder().build());
    }

    /** As {@link #of(Path)}, finding, downloading and caching through {@code resolver}. */
    public static ClipNetwork of(Path weights, WeightsResolver resolver) {
        return new ClipNetwork(weights, resolver);
    }

    /** The image tower's parameters in Hugging Face's names, from any of the three formats and either naming. */
    static Map<String, Tensor> imageTower(Path file) {
        Map<String, Tensor> tower = isSafeTensors(file) ? SafeTensors.read(file, ClipVision.KEYS)
                : TorchCheckpoint.read(file, ClipVision.KEYS.or(ClipVision.OPENAI_KEYS));
        return tower.keySet().stream().anyMatch(ClipVision.OPENAI_KEYS) ? ClipVision.fromOpenAi(tower) : tower;
    }

    /**
     * A safetensors file starts with its JSON header's 8-byte length, then the header's {@code {}; torch's files
     * start with a zip's local header (whose ninth byte is its compression method's low byte, never {@code {}) or
     * with a pickle whose ninth byte is inside torch's magic number.
     */
    private static boolean isSafeTensors(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(9);
            return head.length == 9 && head[8] == '{';
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    OnnxMl.GraphProto build(Path file) {
        try {
            return ClipVision.graphConsuming(imageTower(file));
        } catch (InvalidInputException e) {
            throw e.file().isPresent() ? e : new InvalidInputException(file, "is not CLIP's image tower in Hugging Face's "
                    + "or OpenAI's names: " + e.getMessage(), e);
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

    /** ViT-L/14@336px's projection width. */
    @Override
    int publishedDim() {
        return 768;
    }

    @Override
    String graphVersion() {
        return "g2";
    }
}
