package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.onnx.OnnxOps;
import dev.ganeval.core.torch.Tensor;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

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
    public static final int HEAD_WIDTH = 64;
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
        Objects.requireNonNull(stateDict, "stateDict");
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
        private final StateDict weights;
        private final int height;
        private final int width;
        private final ONNXContext ctx = new ONNXContext();
        private int dim;
        private int names;

        Builder(Map<String, Tensor> weights, int height, int width) {
            this.weights = new StateDict(weights, "DINOv2's vision transformer");
            this.height = height;
            this.width = width;
        }

        byte[] build() {
            ctx.setName("dinov2");
            ONNXRef<?> images = ctx.floatInput(INPUT, 3);
            Tensor proj = weights.take("patch_embed.proj.weight");
            int[] ps = proj.shape();
            if (ps.length != 4 || ps[1] != 3 || ps[2] != PATCH || ps[3] != PATCH || ps[0] < HEAD_WIDTH || ps[0] % HEAD_WIDTH != 0) {
                throw StateDict.badShape("patch_embed.proj.weight", ps, "[D, 3, 14, 14] with D a multiple of 64 (DINOv2's head width)");
            }
            dim = ps[0];
            int gridH = height / PATCH;
            int gridW = width / PATCH;
            ONNXInitializer pw = ctx.floatTensor("patch_embed.proj.weight", List.of(dim, 3, PATCH, PATCH),
                    fb -> fb.put(StateDict.floats("patch_embed.proj.weight", proj)));
            ONNXInitializer pb = vectorInit("patch_embed.proj.bias", dim);
            ONNXRef<?> patches = op(OnnxOps.CONV, List.of(images, pw, pb), Map.of("kernel_shape", new int[] {PATCH, PATCH},
                    "strides", new int[] {PATCH, PATCH}));
            patches = reshape(patches, 0, dim, -1).apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 1}));
            // The class token, one per image: expanded to [N, 1, D] by the batch size read from the input's shape.
            float[] cls = StateDict.floats("cls_token", weights.take("cls_token", 1, 1, dim));
            ONNXInitializer clsInit = ctx.floatTensor("cls_token", List.of(1, 1, dim), fb -> fb.put(cls));
            ONNXRef<?> batch = op(ONNXOperators.GATHER, List.of(images.apply(OnnxOps.SHAPE), ctx.array(name("batch_axis"),
                    new long[] {0})), Map.of("axis", 0));
            ONNXRef<?> clsShape = op(ONNXOperators.CONCAT, List.of(batch, ctx.array(name("cls_rest"), new long[] {1, dim})),
                    Map.of("axis", 0));
            ONNXRef<?> tokens = op(ONNXOperators.CONCAT, List.of(op(OnnxOps.EXPAND, List.of(clsInit, clsShape), Map.of()),
                    patches), Map.of("axis", 1));
            tokens = tokens.apply(ONNXOperators.ADD, positions(gridH, gridW));
            if (weights.has("mask_token")) {
                weights.take("mask_token", 1, dim);  // training's masked-patch token: not part of inference
            }
            int depth = 0;
            while (weights.has("blocks." + depth + ".norm1.weight")) {
                tokens = block("blocks." + depth, tokens);
                depth++;
            }
            if (depth == 0) {
                throw new InvalidInputException("state dict: missing 'blocks.0.norm1.weight', which " + "DINOv2's vision "
                        + "transformer needs" + (weights.has("blocks.0.0.norm1.weight") ? " (the blocks are in chunks, "
                        + "blocks.0.0...: save the backbone with block_chunks=0, as the hub's are)" : ""));
            }
            ONNXRef<?> normed = layerNorm("norm", tokens);
            ONNXRef<?> classToken = op(ONNXOperators.GATHER, List.of(normed, ctx.constant(name("cls_index"), 0L)),
                    Map.of("axis", 1));
            classToken.assignTo(ctx.floatOutput(FEATURES, dim));
            weights.refuseUnexpectedKeys(" (a hub backbone without registers or a head)");
            return OnnxExport.model(GraphShapes.imageInput(ctx.buildGraph(), INPUT, 3, height, width));
        }

        /** The position embeddings for this grid, the class token's first: {@code [1, 1 + gridH·gridW, D]}. */
        private ONNXInitializer positions(int gridH, int gridW) {
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
            return ctx.floatTensor("pos_embed", List.of(1, 1 + gridH * gridW, dim), fb -> fb.put(out));
        }

        private ONNXRef<?> block(String name, ONNXRef<?> x) {
            ONNXRef<?> attn = attention(name + ".attn", layerNorm(name + ".norm1", x));
            x = x.apply(ONNXOperators.ADD, attn.apply(ONNXOperators.MUL, vectorInit(name + ".ls1.gamma", dim)));
            ONNXRef<?> h = layerNorm(name + ".norm2", x);
            ONNXRef<?> ffn = weights.has(name + ".mlp.w12.weight") ? swiGlu(name + ".mlp", h) : mlp(name + ".mlp", h);
            return x.apply(ONNXOperators.ADD, ffn.apply(ONNXOperators.MUL, vectorInit(name + ".ls2.gamma", dim)));
        }

        private ONNXRef<?> attention(String name, ONNXRef<?> x) {
            int heads = dim / HEAD_WIDTH;
            ONNXRef<?> qkv = linear(name + ".qkv", x, dim, 3 * dim, 0, 3 * dim);
            // [N, T, 3D] -> [N, T, 3, heads, 64] -> [3, N, heads, T, 64]
            ONNXRef<?> split = reshape(qkv, 0, 0, 3, heads, HEAD_WIDTH).apply(OnnxOps.TRANSPOSE,
                    Map.of("perm", new int[] {2, 0, 3, 1, 4}));
            ONNXRef<?> q = pick(split, 0).apply(ONNXOperators.MUL, ctx.constant(name("scale"), (float) (1 / Math.sqrt(HEAD_WIDTH))));
            ONNXRef<?> kT = pick(split, 1).apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 1, 3, 2}));
            ONNXRef<?> scores = op(OnnxOps.MATMUL, List.of(q, kT), Map.of()).apply(ONNXOperators.SOFTMAX, Map.of("axis", -1));
            ONNXRef<?> mixed = op(OnnxOps.MATMUL, List.of(scores, pick(split, 2)), Map.of())
                    .apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 1, 3}));
            return linear(name + ".proj", reshape(mixed, 0, 0, dim), dim, dim, 0, dim);
        }

        private ONNXRef<?> pick(ONNXRef<?> split, long which) {
            return op(ONNXOperators.GATHER, List.of(split, ctx.constant(name("qkv_index"), which)), Map.of("axis", 0));
        }

        /** {@code fc2(gelu(fc1(x)))}, GELU exact: {@code 0.5·x·(1 + erf(x/√2))}. */
        private ONNXRef<?> mlp(String name, ONNXRef<?> x) {
            Tensor w1 = weights.take(name + ".fc1.weight");
            int hidden = w1.shape().length == 2 ? w1.shape()[0] : -1;
            if (hidden < 1 || w1.shape()[1] != dim) {
                throw StateDict.badShape(name + ".fc1.weight", w1.shape(), "[hidden, " + dim + "]");
            }
            ONNXRef<?> h = linear(name + ".fc1", x, dim, hidden, 0, hidden);
            ONNXRef<?> erf = h.apply(ONNXOperators.MUL, ctx.constant(name("inv_sqrt2"), (float) (1 / Math.sqrt(2))))
                    .apply(OnnxOps.ERF).apply(ONNXOperators.ADD, ctx.constant(name("one"), 1f));
            ONNXRef<?> gelu = h.apply(ONNXOperators.MUL, ctx.constant(name("half"), 0.5f)).apply(ONNXOperators.MUL, erf);
            return linear(name + ".fc2", gelu, hidden, dim, 0, dim);
        }

        /** ViT-g's feed-forward: {@code w3(silu(x₁)·x₂)}, x₁ and x₂ the two halves of {@code w12(x)}. */
        private ONNXRef<?> swiGlu(String name, ONNXRef<?> x) {
            Tensor w12 = weights.take(name + ".w12.weight");
            int twice = w12.shape().length == 2 ? w12.shape()[0] : -1;
            if (twice < 2 || twice % 2 != 0 || w12.shape()[1] != dim) {
                throw StateDict.badShape(name + ".w12.weight", w12.shape(), "[2·hidden, " + dim + "]");
            }
            int hidden = twice / 2;
            // The two halves as two projections: the same dot products as one projection split after.
            ONNXRef<?> x1 = linear(name + ".w12", x, dim, twice, 0, hidden);
            ONNXRef<?> x2 = linear(name + ".w12", x, dim, twice, hidden, twice);
            ONNXRef<?> silu = x1.apply(ONNXOperators.MUL, x1.apply(ONNXOperators.SIGMOID));
            return linear(name + ".w3", silu.apply(ONNXOperators.MUL, x2), hidden, dim, 0, dim);
        }

        /**
         * {@code x·Wᵀ + b} for the output rows {@code from ..< to} of {@code name.weight} ({@code [out, in]}) and
         * {@code name.bias}: a MatMul with the transposed rows and an Add.
         */
        private ONNXRef<?> linear(String name, ONNXRef<?> x, int in, int out, int from, int to) {
            String wKey = name + ".weight";
            String bKey = name + ".bias";
            double[] w = StateDict.values(wKey, weights.take(wKey, out, in));
            double[] b = StateDict.values(bKey, weights.take(bKey, out));
            int rows = to - from;
            float[] wt = new float[in * rows];
            for (int o = 0; o < rows; o++) {
                for (int i = 0; i < in; i++) {
                    wt[i * rows + o] = (float) w[(from + o) * in + i];
                }
            }
            float[] bias = new float[rows];
            for (int o = 0; o < rows; o++) {
                bias[o] = (float) b[from + o];
            }
            ONNXInitializer wi = ctx.floatTensor(name(wKey), List.of(in, rows), fb -> fb.put(wt));
            ONNXInitializer bi = ctx.floatTensor(name(bKey), List.of(rows), fb -> fb.put(bias));
            return op(OnnxOps.MATMUL, List.of(x, wi), Map.of()).apply(ONNXOperators.ADD, bi);
        }

        /** LayerNorm over the last axis: {@code (x − mean) / √(var + eps) · weight + bias}, var the biased variance. */
        private ONNXRef<?> layerNorm(String name, ONNXRef<?> x) {
            ONNXInitializer g = vectorInit(name + ".weight", dim);
            ONNXInitializer b = vectorInit(name + ".bias", dim);
            Map<String, Object> lastAxis = Map.of("axes", new int[] {-1}, "keepdims", 1);
            ONNXRef<?> centred = x.apply(ONNXOperators.SUB, x.apply(ONNXOperators.REDUCE_MEAN, lastAxis));
            ONNXRef<?> variance = centred.apply(ONNXOperators.MUL, centred).apply(ONNXOperators.REDUCE_MEAN, lastAxis);
            ONNXRef<?> sd = variance.apply(ONNXOperators.ADD, ctx.constant(name("eps"), (float) LAYER_NORM_EPS)).apply(OnnxOps.SQRT);
            return centred.apply(ONNXOperators.DIV, sd).apply(ONNXOperators.MUL, g).apply(ONNXOperators.ADD, b);
        }

        private ONNXInitializer vectorInit(String key, int length) {
            float[] v = StateDict.toFloats(weights.vector(key, length));
            return ctx.floatTensor(name(key), List.of(length), fb -> fb.put(v));
        }

        private ONNXRef<?> reshape(ONNXRef<?> x, long... shape) {
            return op(OnnxOps.RESHAPE, List.of(x, ctx.array(name("shape"), shape)), Map.of());
        }

        private ONNXRef<?> op(ONNXOperator operator, List<ONNXRef<?>> inputs, Map<String, Object> attributes) {
            return ctx.operation(operator, inputs, operator.getOpName().toLowerCase(java.util.Locale.ROOT), attributes);
        }

        /** A unique initializer name. */
        private String name(String base) {
            return base + "_" + names++;
        }
    }
}
