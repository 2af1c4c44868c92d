package dev.ganeval.metrics.features;

import dev.ganeval.core.onnx.OnnxOps;
import dev.ganeval.core.torch.Tensor;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.List;
import java.util.Map;

/**
 * The pieces vision transformers are built of (DINOv2, CLIP's image tower), as ONNX operators on a graph under
 * construction, each taking its parameters from a {@link StateDict} by name: patch embedding, class token, linear
 * layers, layer norm, multi-head self-attention with heads of {@value #HEAD_WIDTH}, GELU and CLIP's quick GELU. Tokens
 * are {@code [N, T, D]} float32 throughout. Opset 13.
 */
final class VitGraph {
    /** Every DINOv2 and CLIP ViT has attention heads of this width. */
    static final int HEAD_WIDTH = 64;

    final ONNXContext ctx = new ONNXContext();
    final StateDict weights;
    private final Map<String, double[]> blocks = new java.util.HashMap<>();
    private int dim;
    private int names;

    VitGraph(StateDict weights, String graphName) {
        this.weights = weights;
        ctx.setName(graphName);
    }

    int dim() {
        return dim;
    }

    /**
     * {@code key} ({@code [D, 3, P, P]}, D a multiple of 64) as a stride-P convolution of {@code images}, flattened
     * row-major to {@code [N, H/P · W/P, D]}; with {@code biasKey} (or none when null). Sets the graph's width D.
     */
    ONNXRef<?> patchEmbedding(ONNXRef<?> images, String key, String biasKey) {
        Tensor w = weights.take(key);
        int[] s = w.shape();
        if (s.length != 4 || s[1] != 3 || s[2] < 1 || s[2] != s[3] || s[0] < HEAD_WIDTH || s[0] % HEAD_WIDTH != 0) {
            throw StateDict.badShape(key, s, "[D, 3, P, P] with D a multiple of 64 (the attention heads' width)");
        }
        dim = s[0];
        int p = s[2];
        ONNXInitializer wi = ctx.floatTensor(name(key), List.of(dim, 3, p, p), fb -> fb.put(StateDict.floats(key, w)));
        List<ONNXRef<?>> in = biasKey == null ? List.of(images, wi) : List.of(images, wi, vector(biasKey, dim));
        ONNXRef<?> conv = op(OnnxOps.CONV, in, Map.of("kernel_shape", new int[] {p, p}, "strides", new int[] {p, p}));
        return reshape(conv, 0, dim, -1).apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 1}));
    }

    /** {@code [N, T, D]} tokens with the class token {@code cls} (D values) in front: {@code [N, 1 + T, D]}. */
    ONNXRef<?> withClassToken(ONNXRef<?> images, ONNXRef<?> tokens, float[] cls) {
        ONNXInitializer c = ctx.floatTensor(name("class_token"), List.of(1, 1, dim), fb -> fb.put(cls));
        // Expanded to [N, 1, D] by the batch size read from the input's shape.
        ONNXRef<?> batch = op(ONNXOperators.GATHER, List.of(images.apply(OnnxOps.SHAPE), ctx.array(name("batch_axis"),
                new long[] {0})), Map.of("axis", 0));
        ONNXRef<?> shape = op(ONNXOperators.CONCAT, List.of(batch, ctx.array(name("class_rest"), new long[] {1, dim})),
                Map.of("axis", 0));
        return op(ONNXOperators.CONCAT, List.of(op(OnnxOps.EXPAND, List.of(c, shape), Map.of()), tokens), Map.of("axis", 1));
    }

    /**
     * Token 0 of {@code [N, T, D]} as {@code [N, 1, D]}. The networks here read nothing but the class token after their
     * last block, so that block needs queries, residual and MLP for this one row only (keys and values still for every
     * token): a 1/T share of its matrix products, 3.5 % of ViT-L/14's at 224 px.
     */
    ONNXRef<?> classRow(ONNXRef<?> x) {
        return op(ONNXOperators.GATHER, List.of(x, ctx.array(name("class_row"), new long[] {0})), Map.of("axis", 1));
    }

    /** Token 0 of {@code [N, T, D]}: {@code [N, D]}. */
    ONNXRef<?> classToken(ONNXRef<?> x) {
        return op(ONNXOperators.GATHER, List.of(x, ctx.constant(name("class_index"), 0L)), Map.of("axis", 1));
    }

    /**
     * {@code x·Wᵀ + b} for the output rows {@code from ..< to} of {@code name.weight} ({@code [out, in]}) and, when
     * {@code bias}, {@code name.bias}: a MatMul with the transposed rows (and an Add).
     */
    ONNXRef<?> linear(String name, ONNXRef<?> x, int in, int out, int from, int to, boolean bias) {
        String wKey = name + ".weight";
        double[] w = parts(wKey, out, in);
        int rows = to - from;
        float[] wt = new float[in * rows];
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < in; i++) {
                wt[i * rows + o] = (float) w[(from + o) * in + i];
            }
        }
        ONNXRef<?> y = op(OnnxOps.MATMUL, List.of(x, ctx.floatTensor(name(wKey), List.of(in, rows), fb -> fb.put(wt))), Map.of());
        if (!bias) {
            return y;
        }
        String bKey = name + ".bias";
        double[] b = parts(bKey, out);
        float[] part = new float[rows];
        for (int o = 0; o < rows; o++) {
            part[o] = (float) b[from + o];
        }
        return y.apply(ONNXOperators.ADD, ctx.floatTensor(name(bKey), List.of(rows), fb -> fb.put(part)));
    }

    /**
     * The values of {@code key} (of {@code shape}) for a layer read in row blocks (DINOv2's qkv and w12): taken from the
     * state dict on the first block and kept for the next ones, until another layer's parameters are read.
     */
    private double[] parts(String key, int... shape) {
        double[] v = blocks.get(key);
        if (v == null) {
            v = StateDict.values(key, weights.take(key, shape));
            if (key.endsWith(".weight")) {
                blocks.clear();
            }
            blocks.put(key, v);
        }
        return v;
    }

    /** A square linear layer with bias: {@code D → D}. */
    ONNXRef<?> linear(String name, ONNXRef<?> x) {
        return linear(name, x, dim, dim, 0, dim, true);
    }

    /** The number of output rows of {@code name.weight}, checked to take {@code in} inputs. */
    int outputs(String name, int in) {
        String key = name + ".weight";
        int[] s = weights.peekShape(key);
        if (s == null || s.length != 2 || s[0] < 1 || s[1] != in) {
            throw StateDict.badShape(key, s == null ? weights.take(key).shape() : s, "[out, " + in + "]");
        }
        return s[0];
    }

    /** LayerNorm over the last axis: {@code (x − mean) / √(var + eps) · weight + bias}, var the biased variance. */
    ONNXRef<?> layerNorm(String name, ONNXRef<?> x, double eps) {
        ONNXInitializer g = vector(name + ".weight", dim);
        ONNXInitializer b = vector(name + ".bias", dim);
        Map<String, Object> lastAxis = Map.of("axes", new int[] {-1}, "keepdims", 1);
        ONNXRef<?> centred = x.apply(ONNXOperators.SUB, x.apply(ONNXOperators.REDUCE_MEAN, lastAxis));
        ONNXRef<?> variance = centred.apply(ONNXOperators.MUL, centred).apply(ONNXOperators.REDUCE_MEAN, lastAxis);
        ONNXRef<?> sd = variance.apply(ONNXOperators.ADD, ctx.constant(name("eps"), (float) eps)).apply(OnnxOps.SQRT);
        return centred.apply(ONNXOperators.DIV, sd).apply(ONNXOperators.MUL, g).apply(ONNXOperators.ADD, b);
    }

    /**
     * Multi-head self-attention of projected queries, keys and values ({@code [N, T, D]} each): heads of 64,
     * {@code softmax(q·kᵀ / 8)·v}, the heads joined back to {@code [N, T, D]} (before the output projection).
     */
    ONNXRef<?> attention(ONNXRef<?> q, ONNXRef<?> k, ONNXRef<?> v) {
        int heads = dim / HEAD_WIDTH;
        ONNXRef<?> qh = reshape(q, 0, 0, heads, HEAD_WIDTH).apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 1, 3}))
                .apply(ONNXOperators.MUL, ctx.constant(name("scale"), (float) (1 / Math.sqrt(HEAD_WIDTH))));
        ONNXRef<?> kt = reshape(k, 0, 0, heads, HEAD_WIDTH).apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 3, 1}));
        ONNXRef<?> vh = reshape(v, 0, 0, heads, HEAD_WIDTH).apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 1, 3}));
        ONNXRef<?> scores = op(OnnxOps.MATMUL, List.of(qh, kt), Map.of()).apply(ONNXOperators.SOFTMAX, Map.of("axis", -1));
        ONNXRef<?> mixed = op(OnnxOps.MATMUL, List.of(scores, vh), Map.of())
                .apply(OnnxOps.TRANSPOSE, Map.of("perm", new int[] {0, 2, 1, 3}));
        return reshape(mixed, 0, 0, dim);
    }

    /** Exact GELU: {@code 0.5·x·(1 + erf(x/√2))}. */
    ONNXRef<?> gelu(ONNXRef<?> x) {
        ONNXRef<?> erf = x.apply(ONNXOperators.MUL, ctx.constant(name("inv_sqrt2"), (float) (1 / Math.sqrt(2))))
                .apply(OnnxOps.ERF).apply(ONNXOperators.ADD, ctx.constant(name("one"), 1f));
        return x.apply(ONNXOperators.MUL, ctx.constant(name("half"), 0.5f)).apply(ONNXOperators.MUL, erf);
    }

    /** CLIP's quick GELU: {@code x·sigmoid(1.702·x)}. */
    ONNXRef<?> quickGelu(ONNXRef<?> x) {
        return x.apply(ONNXOperators.MUL, x.apply(ONNXOperators.MUL, ctx.constant(name("quick"), 1.702f))
                .apply(ONNXOperators.SIGMOID));
    }

    /** SiLU: {@code x·sigmoid(x)}. */
    ONNXRef<?> silu(ONNXRef<?> x) {
        return x.apply(ONNXOperators.MUL, x.apply(ONNXOperators.SIGMOID));
    }

    /** Each row divided by its Euclidean norm. */
    ONNXRef<?> l2Normalise(ONNXRef<?> x) {
        ONNXRef<?> norm = x.apply(OnnxOps.REDUCE_SUM_SQUARE, Map.of("axes", new int[] {-1}, "keepdims", 1)).apply(OnnxOps.SQRT);
        return x.apply(ONNXOperators.DIV, norm);
    }

    /** A 1-D parameter of {@code length} values as an initializer. */
    ONNXInitializer vector(String key, int length) {
        float[] v = StateDict.toFloats(weights.vector(key, length));
        return ctx.floatTensor(name(key), List.of(length), fb -> fb.put(v));
    }

    ONNXInitializer floats(String base, List<Integer> dims, float[] values) {
        return ctx.floatTensor(name(base), dims, fb -> fb.put(values));
    }

    ONNXRef<?> reshape(ONNXRef<?> x, long... shape) {
        return op(OnnxOps.RESHAPE, List.of(x, ctx.array(name("shape"), shape)), Map.of());
    }

    ONNXRef<?> op(ONNXOperator operator, List<ONNXRef<?>> inputs, Map<String, Object> attributes) {
        return ctx.operation(operator, inputs, operator.getOpName().toLowerCase(java.util.Locale.ROOT), attributes);
    }

    /** A unique initializer name. */
    String name(String base) {
        return base + "_" + names++;
    }
}
