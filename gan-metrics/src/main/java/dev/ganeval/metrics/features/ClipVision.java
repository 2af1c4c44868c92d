package dev.ganeval.metrics.features;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.torch.Tensor;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * CLIP's image tower with its projection (OpenAI's ViT-L/14@336px in Hugging Face's naming, {@code
 * CLIPVisionModelWithProjection}; other ViT sizes by the same code) as an ONNX graph built from the state dict — the
 * embeddings CMMD (Jayasumana et al. 2024) compares.
 *
 * <p>The graph: input {@value #INPUT}, float32 {@code [N, 3, S, S]} already preprocessed (S = 336 for ViT-L/14@336:
 * {@link InceptionProtocol#CMMD}); output {@value #EMBEDDING}, {@code [N, E]}: the projected class token divided by its
 * Euclidean norm (CMMD's embeddings); {@value #IMAGE_EMBEDS}, the same before the division (Hugging Face's
 * {@code image_embeds}).
 *
 * <p>The network: a stride-P convolution without bias ({@code vision_model.embeddings.patch_embedding}), the class
 * embedding in front, the learned position embeddings added (one per token of the trained grid: the input size is
 * fixed by them), {@code pre_layrnorm}, then per layer {@code x += out_proj(attn(q_proj, k_proj, v_proj of
 * layer_norm1(x)))} and {@code x += fc2(quick_gelu(fc1(layer_norm2(x))))} with heads of 64 and layer norms of eps
 * {@value #LAYER_NORM_EPS}; the class token through {@code post_layernorm} and {@code visual_projection} (no bias).
 * Quick GELU is {@code x·sigmoid(1.702x)}, OpenAI's CLIP activation.
 */
public final class ClipVision {
    public static final String INPUT = "images";
    /** The L2-normalised projected class token, {@code [N, E]}. */
    public static final String EMBEDDING = "embedding";
    /** The projected class token before normalisation. */
    public static final String IMAGE_EMBEDS = "image_embeds";
    public static final double LAYER_NORM_EPS = 1e-5;
    private static final String P = "vision_model.";

    private ClipVision() {}

    /** The keys of the image tower and its projection: what to read of a whole CLIP checkpoint. */
    public static final Predicate<String> KEYS = k -> k.startsWith(P) || k.startsWith("visual_projection.");

    /** The keys of the image tower in OpenAI's own naming ({@code visual.*}, its released TorchScript files). */
    public static final Predicate<String> OPENAI_KEYS = k -> k.startsWith("visual.");

    /**
     * OpenAI's image tower ({@code visual.conv1}, {@code visual.transformer.resblocks.N.attn.in_proj_weight} ...) in
     * Hugging Face's names, as transformers' conversion script renames it: the packed attention input projection
     * split into its q, k and v thirds, {@code visual.proj} ({@code [D, E]}, applied as {@code x @ proj}) transposed
     * into {@code visual_projection.weight}. Values are kept as they are (float16 ones widened exactly to float32).
     *
     * @throws InvalidInputException naming the key, when one the tower needs is missing or has the wrong shape
     */
    public static Map<String, Tensor> fromOpenAi(Map<String, Tensor> openAi) {
        Objects.requireNonNull(openAi, "openAi");
        Map<String, Tensor> in = new LinkedHashMap<>(openAi);
        Map<String, Tensor> out = new LinkedHashMap<>();
        String v = "visual.";
        out.put(P + "embeddings.patch_embedding.weight", openAiTake(in, v + "conv1.weight"));
        out.put(P + "embeddings.class_embedding", openAiTake(in, v + "class_embedding"));
        out.put(P + "embeddings.position_embedding.weight", openAiTake(in, v + "positional_embedding"));
        renameNorm(in, out, v + "ln_pre", P + "pre_layrnorm");
        for (int i = 0; in.containsKey(v + "transformer.resblocks." + i + ".ln_1.weight"); i++) {
            String a = v + "transformer.resblocks." + i + ".";
            String b = P + "encoder.layers." + i + ".";
            for (String p : List.of("weight", "bias")) {
                Tensor packed = openAiTake(in, a + "attn.in_proj_" + p);
                int[] shape = packed.shape();
                if (shape.length == 0 || shape[0] % 3 != 0) {
                    throw new InvalidInputException("state dict: '" + a + "attn.in_proj_" + p + "' has shape "
                            + Arrays.toString(shape) + ", not q, k and v stacked along its first axis");
                }
                float[] all = packed.toFloats();
                int third = all.length / 3;
                int[] part = shape.clone();
                part[0] /= 3;
                String[] qkv = {"q_proj", "k_proj", "v_proj"};
                for (int j = 0; j < 3; j++) {
                    out.put(b + "self_attn." + qkv[j] + "." + p, Tensor.ofFloats(part,
                            Arrays.copyOfRange(all, j * third, (j + 1) * third)));
                }
                out.put(b + "self_attn.out_proj." + p, openAiTake(in, a + "attn.out_proj." + p));
                out.put(b + "mlp.fc1." + p, openAiTake(in, a + "mlp.c_fc." + p));
                out.put(b + "mlp.fc2." + p, openAiTake(in, a + "mlp.c_proj." + p));
            }
            renameNorm(in, out, a + "ln_1", b + "layer_norm1");
            renameNorm(in, out, a + "ln_2", b + "layer_norm2");
        }
        renameNorm(in, out, v + "ln_post", P + "post_layernorm");
        Tensor proj = openAiTake(in, v + "proj");
        int[] ps = proj.shape();
        if (ps.length != 2) {
            throw new InvalidInputException("state dict: '" + v + "proj' has shape " + Arrays.toString(ps)
                    + ", expected [width, embedding]");
        }
        float[] p = proj.toFloats();
        float[] t = new float[p.length];
        for (int r = 0; r < ps[0]; r++) {
            for (int c = 0; c < ps[1]; c++) {
                t[c * ps[0] + r] = p[r * ps[1] + c];
            }
        }
        out.put("visual_projection.weight", Tensor.ofFloats(new int[] {ps[1], ps[0]}, t));
        // Whatever is left under visual.* is passed on under its own name, so the graph builder refuses it by name.
        out.putAll(in);
        return out;
    }

    private static Tensor openAiTake(Map<String, Tensor> in, String key) {
        Tensor t = in.remove(key);
        if (t == null) {
            throw new InvalidInputException("state dict: missing '" + key + "', which OpenAI's CLIP image tower needs");
        }
        return t;
    }

    private static void renameNorm(Map<String, Tensor> in, Map<String, Tensor> out, String from, String to) {
        out.put(to + ".weight", openAiTake(in, from + ".weight"));
        out.put(to + ".bias", openAiTake(in, from + ".bias"));
    }

    /** The input side the position embeddings fix (336 for ViT-L/14@336), from the state dict's shapes. */
    public static int imageSize(Map<String, Tensor> stateDict) {
        Tensor patch = stateDict.get(P + "embeddings.patch_embedding.weight");
        Tensor pos = stateDict.get(P + "embeddings.position_embedding.weight");
        if (patch == null || pos == null || patch.shape().length != 4 || pos.shape().length != 2) {
            throw new InvalidInputException("state dict: missing '" + P + "embeddings.patch_embedding.weight' or '" + P
                    + "embeddings.position_embedding.weight', which CLIP's image tower needs");
        }
        int grid = (int) Math.round(Math.sqrt(pos.shape()[0] - 1));
        return grid * patch.shape()[2];
    }

    /**
     * @param stateDict the image tower's parameters in Hugging Face's names ({@link #KEYS} of a whole checkpoint)
     * @throws InvalidInputException naming the key, when one is missing, unexpected, of the wrong shape or not finite
     */
    public static byte[] onnx(Map<String, Tensor> stateDict) {
        return OnnxExport.model(graph(stateDict));
    }

    /**
     * {@link #onnx}'s graph before it is serialised, for a caller that writes it to a file for ONNX Runtime to read
     * ({@code OnnxExport.modelProto(graph).writeTo(out)}): at ViT-L/14's 1.2 GB, one serialised array in memory is what
     * a default Java heap runs out on.
     */
    public static OnnxMl.GraphProto graph(Map<String, Tensor> stateDict) {
        return graphConsuming(new LinkedHashMap<>(Objects.requireNonNull(stateDict, "stateDict")));
    }

    /**
     * {@link #graph(Map)}, taking each tensor out of {@code stateDict} as the graph takes it in, so a checkpoint read for
     * this alone is freed while the graph grows (ViT-L/14: 1.2 GB each, which would otherwise have to fit in the heap
     * together). The map is emptied when the build succeeds and left partly emptied when it fails; a map that cannot
     * be changed is read as it is.
     */
    public static OnnxMl.GraphProto graphConsuming(Map<String, Tensor> stateDict) {
        Objects.requireNonNull(stateDict, "stateDict");
        StateDict weights = new StateDict(stateDict, "CLIP's image tower");
        VitGraph g = new VitGraph(weights, "clip-vision");
        int size = imageSize(stateDict);
        ONNXRef<?> images = g.ctx.floatInput(INPUT, 3);
        ONNXRef<?> patches = g.patchEmbedding(images, P + "embeddings.patch_embedding.weight", null);
        int dim = g.dim();
        float[] cls = StateDict.floats(P + "embeddings.class_embedding", weights.take(P + "embeddings.class_embedding", dim));
        int patch = weights.peekShape(P + "embeddings.patch_embedding.weight")[2];
        int tokens = 1 + (size / patch) * (size / patch);
        float[] pos = StateDict.floats(P + "embeddings.position_embedding.weight",
                weights.take(P + "embeddings.position_embedding.weight", tokens, dim));
        if (weights.has(P + "embeddings.position_ids")) {
            weights.take(P + "embeddings.position_ids");  // 0 .. T-1, a buffer older checkpoints kept
        }
        ONNXRef<?> x = g.withClassToken(images, patches, cls)
                .apply(ONNXOperators.ADD, g.floats("position_embedding", List.of(1, tokens, dim), pos));
        x = g.layerNorm(P + "pre_layrnorm", x, LAYER_NORM_EPS);
        int layers = 0;
        while (weights.has(P + "encoder.layers." + layers + ".layer_norm1.weight")) {
            String l = P + "encoder.layers." + layers + ".";
            // Only the class token is read after the last layer: its row alone there (VitGraph.classRow).
            boolean last = !weights.has(P + "encoder.layers." + (layers + 1) + ".layer_norm1.weight");
            ONNXRef<?> h = g.layerNorm(l + "layer_norm1", x, LAYER_NORM_EPS);
            ONNXRef<?> attn = g.attention(g.linear(l + "self_attn.q_proj", last ? g.classRow(h) : h),
                    g.linear(l + "self_attn.k_proj", h), g.linear(l + "self_attn.v_proj", h));
            x = (last ? g.classRow(x) : x).apply(ONNXOperators.ADD, g.linear(l + "self_attn.out_proj", attn));
            h = g.layerNorm(l + "layer_norm2", x, LAYER_NORM_EPS);
            int hidden = g.outputs(l + "mlp.fc1", dim);
            ONNXRef<?> up = g.quickGelu(g.linear(l + "mlp.fc1", h, dim, hidden, 0, hidden, true));
            x = x.apply(ONNXOperators.ADD, g.linear(l + "mlp.fc2", up, hidden, dim, 0, dim, true));
            layers++;
        }
        if (layers == 0) {
            weights.take(P + "encoder.layers.0.layer_norm1.weight");  // says it is missing
        }
        ONNXRef<?> pooled = g.layerNorm(P + "post_layernorm", g.classToken(x), LAYER_NORM_EPS);
        int embed = g.outputs("visual_projection", dim);
        ONNXRef<?> projected = g.linear("visual_projection", pooled, dim, embed, 0, embed, false);
        g.l2Normalise(projected).assignTo(g.ctx.floatOutput(EMBEDDING, embed));
        projected.assignTo(g.ctx.floatOutput(IMAGE_EMBEDS, embed));
        weights.refuseUnexpectedKeys(" (the image tower and visual_projection)");
        return GraphShapes.imageInput(g.ctx.buildGraph(), INPUT, 3, size, size);
    }
}
