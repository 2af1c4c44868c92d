package dev.ganeval.metrics.features;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.torch.Tensor;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Meta's DINOv2 vision transformer (ViT-S/14, B/14, L/14 and g/14, the backbones of {@code torch.hub.load(
 * 'facebookresearch/dinov2', 'dinov2_vit…14')}) as an ONNX graph built from its published state dict, for one input
 * size. FD_DINOv2 (Stein et al. 2023, dgm-eval) is the Fréchet distance on its output.
 *
 * <p>The graph: input {@value #INPUT}, float32 {@code [N, 3, H, W]}, already preprocessed (dgm-eval: resized to
 * 224 × 224, ImageNet mean and standard deviation); output {@value #FEATURES}, {@code [N, D]}: the class token after
 * the final layer norm, what the hub model returns ({@code x_norm_clstoken}, not L2-normalised).
 *
 * <p>The network, as DINOv2's code builds the hub backbones: 14 × 14 patches embedded by a stride-14 convolution
 * (with bias) and flattened row-major; the class token in front; position embeddings added — trained for a 37 × 37
 * grid (518 px), so for another grid the patch part is resized with PyTorch's bicubic interpolation at scale factors
 * {@code (grid + 0.1) / 37} per axis (DINOv2's offset; no antialiasing; {@link TorchBicubic}), computed here once in
 * float64 and stored as a constant; then blocks {@code x += ls1 · attn(norm1(x)); x += ls2 · ffn(norm2(x))} with
 * layer norms of eps {@value #LAYER_NORM_EPS}, attention of {@code D / 64} heads of width 64 (a qkv projection with
 * bias, rows q, k, v, each head-major; scores {@code q·kᵀ / 8}; softmax; an output projection with bias), LayerScale
 * vectors, and an MLP of exact (erf) GELU ({@code mlp.fc1}, {@code mlp.fc2}) or, in ViT-g, SwiGLU
 * ({@code mlp.w12} split into halves x₁, x₂; {@code w3(silu(x₁)·x₂)}); the final norm. Depth, width and the MLP kind
 * are read from the state dict, so narrower test models of the same architecture build by the same code.
 * {@code mask_token} (used in training only) is read and not used. Opset 13, IR version 8.
 */
public final class DinoV2 {
    /** The input: float32 {@code [N, 3, H, W]}, preprocessed. */
    public static final String INPUT = "images";
    /** The class token after the final norm, {@code [N, D]}. */
    public static final String FEATURES = "features";
    /** Patch side in pixels. */
    public static final int PATCH = 14;
    /** Every DINOv2 backbone's attention head width. */
    public static final int HEAD_WIDTH = VitGraph.HEAD_WIDTH;
    /** Layer norm eps throughout. */
    public static final double LAYER_NORM_EPS = 1e-6;
    /** Added to the grid size in the position embeddings' scale factor, as DINOv2's hub backbones do. */
    public static final double INTERPOLATE_OFFSET = 0.1;

    private DinoV2() {}

    /**
     * The network for {@code height × width} inputs (multiples of 14 use every pixel; the remainder is dropped, as the
     * patch convolution does).
     *
     * @param stateDict DINOv2's parameter names: {@code cls_token}, {@code pos_embed}, {@code mask_token},
     *                  {@code patch_embed.proj.weight} / {@code bias}, {@code blocks.N.norm1.weight} …, {@code norm.weight}
     * @throws InvalidInputException naming the key, when one is missing, unexpected, of the wrong shape or not finite
     */
    public static byte[] onnx(Map<String, Tensor> stateDict, int height, int width) {
        return OnnxExport.model(graph(stateDict, height, width));
    }

    /**
     * {@link #onnx}'s graph before it is serialised, for a caller that writes it to a file for ONNX Runtime to read
     * ({@code OnnxExport.modelProto(graph).writeTo(out)}): at ViT-L/14's 1.2 GB, one serialised array in memory is what
     * a default Java heap runs out on.
     */
    public static OnnxMl.GraphProto graph(Map<String, Tensor> stateDict, int height, int width) {
        return graphConsuming(new LinkedHashMap<>(Objects.requireNonNull(stateDict, "stateDict")), height, width);
    }

    /**
     * {@link #graph(Map, int, int)}, taking each tensor out of {@code stateDict} as the graph takes it in, so a
     * checkpoint read for this alone is freed while the graph grows (ViT-L/14: 1.2 GB each, which would otherwise have
     * to fit in the heap together). The map is emptied when the build succeeds and left partly emptied when it fails; a
     * map that cannot be changed is read as it is.
     */
    public static OnnxMl.GraphProto graphConsuming(Map<String, Tensor> stateDict, int height, int width) {
        Objects.requireNonNull(stateDict, "stateDict");
        long values = stateDict.values().stream().mapToLong(Tensor::size).sum();
        if (values * 4 > Integer.MAX_VALUE - (64L << 20)) {
            // ViT-g/14's 1.1 billion parameters: an ONNX model built in memory is one protobuf of at most 2 GB.
            throw new InvalidInputException("state dict: " + values + " parameters are " + values * 4 / (1 << 20) + " MB as "
                    + "float32, more than the 2 GB one in-memory ONNX model holds (dinov2-vitg14 is not supported; "
                    + "dinov2-vitl14 is the one FD_DINOv2 uses)");
        }
        if (height < PATCH || width < PATCH) {
            throw new IllegalArgumentException("DINOv2 takes images of at least 14x14 pixels, got " + width + "x" + height);
        }
        return new Builder(stateDict, height, width).build();
    }

    /**
     * The patch position embeddings for a {@code gridH × gridW} grid from the trained {@code m × m} ones ({@code m²
     * × dim}, row-major, the class token's row left out): the resized grid, row-major, {@code gridH · gridW × dim}.
     */
    static double[] interpolatePositions(double[] trained, int m, int dim, int gridH, int gridW) {
        if (gridH == m && gridW == m) {
            return trained.clone();
        }
        // [m², dim] to dim planes of m × m, resized, and back.
        double[] planes = new double[dim * m * m];
        for (int p = 0; p < m * m; p++) {
            for (int c = 0; c < dim; c++) {
                planes[c * m * m + p] = trained[p * dim + c];
            }
        }
        double[] resized = TorchBicubic.resize(planes, dim, m, m, (gridH + INTERPOLATE_OFFSET) / m,
                (gridW + INTERPOLATE_OFFSET) / m);
        int cells = gridH * gridW;
        if (resized.length != dim * cells) {
            throw new IllegalStateException("interpolated to " + resized.length / dim + " positions, not " + cells);
        }
        double[] out = new double[cells * dim];
        for (int p = 0; p < cells; p++) {
            for (int c = 0; c < dim; c++) {
                out[p * dim + c] = resized[c * cells + p];
            }
        }
        return out;
    }

    private static final class Builder {
        private final VitGraph g;
        private final StateDict weights;
        private final int height;
        private final int width;

        Builder(Map<String, Tensor> weights, int height, int width) {
            this.weights = new StateDict(weights, "DINOv2's vision transformer");
            this.g = new VitGraph(this.weights, "dinov2");
            this.height = height;
            this.width = width;
        }

        OnnxMl.GraphProto build() {
            ONNXRef<?> images = g.ctx.floatInput(INPUT, 3);
            ONNXRef<?> patches = g.patchEmbedding(images, "patch_embed.proj.weight", "patch_embed.proj.bias");
            int dim = g.dim();
            int[] ps = weights.peekShape("patch_embed.proj.weight");
            if (ps[2] != PATCH) {
                throw StateDict.badShape("patch_embed.proj.weight", ps, "[D, 3, 14, 14]");
            }
            float[] cls = StateDict.floats("cls_token", weights.take("cls_token", 1, 1, dim));
            ONNXRef<?> tokens = g.withClassToken(images, patches, cls)
                    .apply(ONNXOperators.ADD, positions(height / PATCH, width / PATCH));
            if (weights.has("mask_token")) {
                weights.take("mask_token", 1, dim);  // training's masked-patch token: not part of inference
            }
            int depth = 0;
            while (weights.has("blocks." + depth + ".norm1.weight")) {
                tokens = block("blocks." + depth, tokens, !weights.has("blocks." + (depth + 1) + ".norm1.weight"));
                depth++;
            }
            if (depth == 0) {
                throw new InvalidInputException("state dict: missing 'blocks.0.norm1.weight', which DINOv2's vision "
                        + "transformer needs" + (weights.has("blocks.0.0.norm1.weight") ? " (the blocks are in chunks, "
                        + "blocks.0.0...: save the backbone with block_chunks=0, as the hub's are)" : ""));
            }
            g.classToken(g.layerNorm("norm", tokens, LAYER_NORM_EPS)).assignTo(g.ctx.floatOutput(FEATURES, dim));
            weights.refuseUnexpectedKeys(" (a hub backbone without registers or a head)");
            return GraphShapes.imageInput(g.ctx.buildGraph(), INPUT, 3, height, width);
        }

        /** The position embeddings for this grid, the class token's first: {@code [1, 1 + gridH·gridW, D]}. */
        private ONNXInitializer positions(int gridH, int gridW) {
            int dim = g.dim();
            Tensor pos = weights.take("pos_embed");
            int[] s = pos.shape();
            int m = s.length == 3 ? (int) Math.round(Math.sqrt(s[1] - 1)) : -1;
            if (s.length != 3 || s[0] != 1 || s[2] != dim || m < 1 || m * m != s[1] - 1) {
                throw StateDict.badShape("pos_embed", s, "[1, 1 + m², " + dim + "] (a class token and an m × m grid)");
            }
            double[] all = StateDict.values("pos_embed", pos);
            double[] grid = interpolatePositions(java.util.Arrays.copyOfRange(all, dim, all.length), m, dim, gridH, gridW);
            float[] out = new float[(1 + gridH * gridW) * dim];
            for (int i = 0; i < dim; i++) {
                out[i] = (float) all[i];
            }
            for (int i = 0; i < grid.length; i++) {
                out[dim + i] = (float) grid[i];
            }
            return g.floats("pos_embed", List.of(1, 1 + gridH * gridW, dim), out);
        }

        /** A block; the {@code last} one computes the class token's row only ({@link VitGraph#classRow}). */
        private ONNXRef<?> block(String name, ONNXRef<?> x, boolean last) {
            int dim = g.dim();
            ONNXRef<?> h = g.layerNorm(name + ".norm1", x, LAYER_NORM_EPS);
            // The fused qkv projection's three row blocks as three projections: the same dot products.
            String qkv = name + ".attn.qkv";
            ONNXRef<?> attn = g.attention(g.linear(qkv, last ? g.classRow(h) : h, dim, 3 * dim, 0, dim, true),
                    g.linear(qkv, h, dim, 3 * dim, dim, 2 * dim, true), g.linear(qkv, h, dim, 3 * dim, 2 * dim, 3 * dim, true));
            attn = g.linear(name + ".attn.proj", attn);
            x = (last ? g.classRow(x) : x).apply(ONNXOperators.ADD, attn.apply(ONNXOperators.MUL, g.vector(name + ".ls1.gamma", dim)));
            h = g.layerNorm(name + ".norm2", x, LAYER_NORM_EPS);
            ONNXRef<?> ffn;
            if (weights.has(name + ".mlp.w12.weight")) {
                // ViT-g: w3(silu(x1)·x2), x1 and x2 the two halves of w12(x).
                int twice = g.outputs(name + ".mlp.w12", dim);
                if (twice % 2 != 0) {
                    throw StateDict.badShape(name + ".mlp.w12.weight", weights.peekShape(name + ".mlp.w12.weight"),
                            "[2·hidden, " + dim + "]");
                }
                int hidden = twice / 2;
                ONNXRef<?> x1 = g.linear(name + ".mlp.w12", h, dim, twice, 0, hidden, true);
                ONNXRef<?> x2 = g.linear(name + ".mlp.w12", h, dim, twice, hidden, twice, true);
                ffn = g.linear(name + ".mlp.w3", g.silu(x1).apply(ONNXOperators.MUL, x2), hidden, dim, 0, dim, true);
            } else {
                int hidden = g.outputs(name + ".mlp.fc1", dim);
                ONNXRef<?> up = g.gelu(g.linear(name + ".mlp.fc1", h, dim, hidden, 0, hidden, true));
                ffn = g.linear(name + ".mlp.fc2", up, hidden, dim, 0, dim, true);
            }
            return x.apply(ONNXOperators.ADD, ffn.apply(ONNXOperators.MUL, g.vector(name + ".ls2.gamma", dim)));
        }
    }
}
