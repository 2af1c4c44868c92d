package dev.ganeval.metrics.features;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.onnx.OnnxOps;
import dev.ganeval.core.torch.Tensor;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * pytorch-fid's FID Inception-v3 (the network of its {@code pt_inception-2015-12-05} weights, which torch-fidelity and
 * the TF reference share) as an ONNX graph, built from the network's state dict.
 *
 * <p>The graph: input {@value #INPUT}, float32 {@code [N, 3, 299, 299]}, already preprocessed to the network's range
 * (pytorch-fid: bilinear resize to 299 and {@code 2x − 1}; the preprocessing stays outside the graph); outputs, all
 * float32 with N rows:
 * <ul>
 *   <li>{@value #POOL} {@code [N, 2048]}: the final average pool, the features FID uses;</li>
 *   <li>{@value #LOGITS_UNBIASED} {@code [N, 1008]}: {@code pool · Wᵀ}, what the Inception Score takes in the TF
 *       protocol (torch-fidelity's {@code logits_unbiased});</li>
 *   <li>{@value #LOGITS} {@code [N, 1008]}: {@code pool · Wᵀ + b};</li>
 *   <li>{@value #BLOCK_64}, {@value #BLOCK_192}, {@value #BLOCK_768} ({@code [N, 64]}, {@code [N, 192]},
 *       {@code [N, 768]}): pytorch-fid's {@code --dims 64 / 192 / 768} features, the spatial mean of the first max
 *       pool's output, of the second max pool's and of Mixed_6e's.</li>
 * </ul>
 * The widths are those of the published weights; every channel count is read from the weight shapes, so a state dict
 * of the same topology with narrower layers builds the narrower network (the tests use one with every width divided
 * by 8).
 *
 * <p>The network, as pytorch-fid's {@code fid_inception_v3} patches torchvision's {@code Inception3}: 1008 classes, no
 * aux head, no dropout at inference. Each {@code BasicConv2d} (convolution without bias, batch norm with eps
 * {@value #BATCH_NORM_EPS}, ReLU) becomes a Conv with the batch norm folded into its weights and bias (in float64,
 * then rounded to float32) and a Relu. The stem's two max pools are 3×3 stride 2; the average-pool branches of
 * Mixed_5b–5d (InceptionA), 6b–6e (InceptionC) and 7b (the first InceptionE) are 3×3 stride 1 pad 1 and do not count
 * the padding (TF's average pool: AveragePool with count_include_pad = 0); Mixed_7c's pool branch is a 3×3 stride-1
 * max pool with pad 1; Mixed_6a (InceptionB) and 7a (InceptionD) max-pool 3×3 stride 2; branches are concatenated in
 * torchvision's order. Opset 13 (Tribuo's), IR version 8.
 */
public final class InceptionV3 {
    /** The input: float32 {@code [N, 3, 299, 299]} in the network's range. */
    public static final String INPUT = "images";
    /** The final average pool, {@code [N, 2048]}: FID's features. */
    public static final String POOL = "pool";
    /** {@code pool · Wᵀ}, {@code [N, 1008]}: the Inception Score's logits in the TF protocol. */
    public static final String LOGITS_UNBIASED = "logits_unbiased";
    /** {@code pool · Wᵀ + b}, {@code [N, 1008]}. */
    public static final String LOGITS = "logits";
    /** The spatial mean of the first max pool's output, {@code [N, 64]}: pytorch-fid's {@code --dims 64}. */
    public static final String BLOCK_64 = "block64";
    /** The spatial mean of the second max pool's output, {@code [N, 192]}: pytorch-fid's {@code --dims 192}. */
    public static final String BLOCK_192 = "block192";
    /** The spatial mean of Mixed_6e's output, {@code [N, 768]}: pytorch-fid's {@code --dims 768}. */
    public static final String BLOCK_768 = "block768";
    /** The outputs in the order the graph lists them. */
    public static final List<String> OUTPUTS = List.of(POOL, LOGITS_UNBIASED, LOGITS, BLOCK_64, BLOCK_192, BLOCK_768);
    /** The input's height and width. */
    public static final int IMAGE_SIZE = 299;
    /** The batch norm's eps in every BasicConv2d (torchvision's, not PyTorch's default 1e-5). */
    public static final double BATCH_NORM_EPS = 0.001;

    private InceptionV3() {}

    /**
     * The network as a serialised ONNX model (see the class comment for its input and outputs).
     *
     * @param stateDict pytorch-fid's parameter names ({@code Conv2d_1a_3x3.conv.weight},
     *                  {@code Conv2d_1a_3x3.bn.weight} / {@code bias} / {@code running_mean} / {@code running_var} /
     *                  {@code num_batches_tracked}, …, {@code Mixed_5b} … {@code Mixed_7c}, {@code fc.weight},
     *                  {@code fc.bias}) to floating-point tensors; {@code num_batches_tracked} (unused) may be absent,
     *                  as in state dicts saved before PyTorch 0.4.1
     * <p>For the published weights (23.9 million parameters) this takes about half a second and the model is 95 MB;
     * ONNX Runtime loads it in about a second and runs a batch of two images in 0.15–0.45 s on two cores.
     *
     * @throws InvalidInputException naming the key, when a key is missing or not of this network, a tensor's shape
     *                               does not fit the layers around it, a tensor is not floating-point, a value is not
     *                               finite or a running variance is negative
     */
    public static byte[] onnx(Map<String, Tensor> stateDict) {
        return OnnxExport.model(graph(stateDict));
    }

    /** {@link #onnx}'s graph before it is serialised, for a caller that writes it to a file. */
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
        return new Builder(stateDict).build();
    }

    /** A feature map in the graph under construction and its channel count. */
    private record Node(ONNXRef<?> ref, int channels) {}

    /** Walks the topology once, taking each parameter from the state dict as its layer is added. */
    private static final class Builder {
        private static final int[] POOL_KERNEL = {3, 3};
        private final StateDict weights;
        private final ONNXContext ctx = new ONNXContext();
        private final Map<String, Integer> widths = new LinkedHashMap<>();

        Builder(Map<String, Tensor> weights) {
            this.weights = new StateDict(weights, "pytorch-fid's FID Inception-v3");
        }

        OnnxMl.GraphProto build() {
            ctx.setName("fid-inception-v3");
            // Declared [batch, 3]; the four dimensions are set on the built graph (Tribuo only declares matrices).
            Node x = new Node(ctx.floatInput(INPUT, 3), 3);
            x = conv("Conv2d_1a_3x3", x, 3, 3, 2, false);
            x = conv("Conv2d_2a_3x3", x, 3, 3, 1, false);
            x = conv("Conv2d_2b_3x3", x, 3, 3, 1, true);
            x = maxPool(x, 2, 0);
            output(BLOCK_64, spatialMean(x));
            x = conv("Conv2d_3b_1x1", x, 1, 1, 1, false);
            x = conv("Conv2d_4a_3x3", x, 3, 3, 1, false);
            x = maxPool(x, 2, 0);
            output(BLOCK_192, spatialMean(x));
            for (String name : List.of("Mixed_5b", "Mixed_5c", "Mixed_5d")) {
                x = inceptionA(name, x);
            }
            x = inceptionB("Mixed_6a", x);
            for (String name : List.of("Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e")) {
                x = inceptionC(name, x);
            }
            output(BLOCK_768, spatialMean(x));
            x = inceptionD("Mixed_7a", x);
            x = inceptionE("Mixed_7b", x, averagePoolExcludingPadding(x));
            x = inceptionE("Mixed_7c", x, maxPool(x, 1, 1));
            Node pool = spatialMean(x);
            output(POOL, pool);
            classifier(pool);
            weights.refuseUnexpectedKeys(" (no aux head)");
            return declareShapes(ctx.buildGraph());
        }

        // ---- the blocks, branches in torchvision's concatenation order ----

        private Node inceptionA(String name, Node x) {
            Node b1 = conv(name + ".branch1x1", x, 1, 1, 1, false);
            Node b5 = conv(name + ".branch5x5_1", x, 1, 1, 1, false);
            b5 = conv(name + ".branch5x5_2", b5, 5, 5, 1, true);
            Node b3 = conv(name + ".branch3x3dbl_1", x, 1, 1, 1, false);
            b3 = conv(name + ".branch3x3dbl_2", b3, 3, 3, 1, true);
            b3 = conv(name + ".branch3x3dbl_3", b3, 3, 3, 1, true);
            Node bp = conv(name + ".branch_pool", averagePoolExcludingPadding(x), 1, 1, 1, false);
            return concat(name, b1, b5, b3, bp);
        }

        private Node inceptionB(String name, Node x) {
            Node b3 = conv(name + ".branch3x3", x, 3, 3, 2, false);
            Node bd = conv(name + ".branch3x3dbl_1", x, 1, 1, 1, false);
            bd = conv(name + ".branch3x3dbl_2", bd, 3, 3, 1, true);
            bd = conv(name + ".branch3x3dbl_3", bd, 3, 3, 2, false);
            return concat(name, b3, bd, maxPool(x, 2, 0));
        }

        private Node inceptionC(String name, Node x) {
            Node b1 = conv(name + ".branch1x1", x, 1, 1, 1, false);
            Node b7 = conv(name + ".branch7x7_1", x, 1, 1, 1, false);
            b7 = conv(name + ".branch7x7_2", b7, 1, 7, 1, true);
            b7 = conv(name + ".branch7x7_3", b7, 7, 1, 1, true);
            Node bd = conv(name + ".branch7x7dbl_1", x, 1, 1, 1, false);
            for (int i = 2; i <= 5; i++) {
                boolean tall = i % 2 == 0;
                bd = conv(name + ".branch7x7dbl_" + i, bd, tall ? 7 : 1, tall ? 1 : 7, 1, true);
            }
            Node bp = conv(name + ".branch_pool", averagePoolExcludingPadding(x), 1, 1, 1, false);
            return concat(name, b1, b7, bd, bp);
        }

        private Node inceptionD(String name, Node x) {
            Node b3 = conv(name + ".branch3x3_1", x, 1, 1, 1, false);
            b3 = conv(name + ".branch3x3_2", b3, 3, 3, 2, false);
            Node b7 = conv(name + ".branch7x7x3_1", x, 1, 1, 1, false);
            b7 = conv(name + ".branch7x7x3_2", b7, 1, 7, 1, true);
            b7 = conv(name + ".branch7x7x3_3", b7, 7, 1, 1, true);
            b7 = conv(name + ".branch7x7x3_4", b7, 3, 3, 2, false);
            return concat(name, b3, b7, maxPool(x, 2, 0));
        }

        /** InceptionE with its pool branch's pooling already applied ({@code pooled}). */
        private Node inceptionE(String name, Node x, Node pooled) {
            Node b1 = conv(name + ".branch1x1", x, 1, 1, 1, false);
            Node b3 = conv(name + ".branch3x3_1", x, 1, 1, 1, false);
            Node b3a = conv(name + ".branch3x3_2a", b3, 1, 3, 1, true);
            Node b3b = conv(name + ".branch3x3_2b", b3, 3, 1, 1, true);
            Node bd = conv(name + ".branch3x3dbl_1", x, 1, 1, 1, false);
            bd = conv(name + ".branch3x3dbl_2", bd, 3, 3, 1, true);
            Node bda = conv(name + ".branch3x3dbl_3a", bd, 1, 3, 1, true);
            Node bdb = conv(name + ".branch3x3dbl_3b", bd, 3, 1, 1, true);
            Node bp = conv(name + ".branch_pool", pooled, 1, 1, 1, false);
            // torchvision concatenates [1x1, cat(3x3 a, b), cat(3x3dbl a, b), pool]: the same order flat.
            return concat(name, b1, b3a, b3b, bda, bdb, bp);
        }

        // ---- layers ----

        /**
         * BasicConv2d {@code name}: a {@code kh × kw} convolution with the given stride, zero-padded to keep the size
         * ({@code same}, stride 1 only in this network) or not padded, its batch norm folded in, then ReLU.
         */
        private Node conv(String name, Node x, int kh, int kw, int stride, boolean same) {
            String weightKey = name + ".conv.weight";
            Tensor w = weights.take(weightKey);
            int[] shape = w.shape();
            if (shape.length != 4 || shape[0] < 1 || shape[1] != x.channels() || shape[2] != kh || shape[3] != kw) {
                throw StateDict.badShape(weightKey, shape, "[out ≥ 1, " + x.channels() + ", " + kh + ", " + kw + "] (" + x.channels()
                        + " channels come in)");
            }
            int out = shape[0];
            double[] gamma = weights.vector(name + ".bn.weight", out);
            double[] beta = weights.vector(name + ".bn.bias", out);
            double[] mean = weights.vector(name + ".bn.running_mean", out);
            double[] var = weights.vector(name + ".bn.running_var", out);
            String counter = name + ".bn.num_batches_tracked";
            if (weights.has(counter)) {
                Tensor t = weights.take(counter);
                if (t.size() != 1) {
                    throw StateDict.badShape(counter, t.shape(), "a scalar");
                }
            }
            double[] values = StateDict.values(weightKey, w);
            int perFilter = values.length / out;
            float[] folded = new float[values.length];
            float[] bias = new float[out];
            for (int o = 0; o < out; o++) {
                if (var[o] < 0) {
                    throw new InvalidInputException("state dict: '" + name + ".bn.running_var' holds a negative variance, "
                            + var[o] + ", at " + o);
                }
                double scale = gamma[o] / Math.sqrt(var[o] + BATCH_NORM_EPS);
                for (int i = o * perFilter, end = i + perFilter; i < end; i++) {
                    folded[i] = (float) (values[i] * scale);
                }
                bias[o] = (float) (beta[o] - mean[o] * scale);
            }
            ONNXInitializer wi = ctx.floatTensor(name + ".weight", List.of(out, x.channels(), kh, kw), fb -> fb.put(folded));
            ONNXInitializer bi = ctx.floatTensor(name + ".bias", List.of(out), fb -> fb.put(bias));
            int ph = same ? (kh - 1) / 2 : 0;
            int pw = same ? (kw - 1) / 2 : 0;
            ONNXRef<?> y = op(OnnxOps.CONV, List.of(x.ref(), wi, bi), name, Map.of("kernel_shape", new int[] {kh, kw},
                    "strides", new int[] {stride, stride}, "pads", new int[] {ph, pw, ph, pw}));
            return new Node(y.apply(OnnxOps.RELU), out);
        }

        private Node maxPool(Node x, int stride, int pad) {
            return new Node(op(OnnxOps.MAX_POOL, List.of(x.ref()), "max_pool", Map.of("kernel_shape", POOL_KERNEL,
                    "strides", new int[] {stride, stride}, "pads", new int[] {pad, pad, pad, pad})), x.channels());
        }

        /** TF's 3×3 stride-1 average pool: pad 1, the padding not counted in the divisor. */
        private Node averagePoolExcludingPadding(Node x) {
            return new Node(op(OnnxOps.AVERAGE_POOL, List.of(x.ref()), "avg_pool", Map.of("kernel_shape", POOL_KERNEL,
                    "strides", new int[] {1, 1}, "pads", new int[] {1, 1, 1, 1}, "count_include_pad", 0)), x.channels());
        }

        private Node concat(String name, Node... parts) {
            List<ONNXRef<?>> refs = new ArrayList<>();
            int channels = 0;
            for (Node p : parts) {
                refs.add(p.ref());
                channels += p.channels();
            }
            return new Node(op(ONNXOperators.CONCAT, refs, name, Map.of("axis", 1)), channels);
        }

        /** [N, C, H, W] to [N, C]: the mean over the positions. */
        private Node spatialMean(Node x) {
            return new Node(x.ref().apply(OnnxOps.GLOBAL_AVERAGE_POOL).apply(OnnxOps.FLATTEN, Map.of("axis", 1)), x.channels());
        }

        /** {@code fc}: logits_unbiased = pool · Wᵀ, logits = that + b. */
        private void classifier(Node pool) {
            Tensor w = weights.take("fc.weight");
            int[] shape = w.shape();
            if (shape.length != 2 || shape[0] < 1 || shape[1] != pool.channels()) {
                throw StateDict.badShape("fc.weight", shape, "[classes ≥ 1, " + pool.channels() + "] (" + pool.channels()
                        + " pool features come in)");
            }
            int classes = shape[0];
            float[] wf = StateDict.floats("fc.weight", w);
            float[] bf = StateDict.toFloats(weights.vector("fc.bias", classes));
            ONNXInitializer wi = ctx.floatTensor("fc.weight", List.of(classes, pool.channels()), fb -> fb.put(wf));
            ONNXInitializer bi = ctx.floatTensor("fc.bias", List.of(classes), fb -> fb.put(bf));
            Node unbiased = new Node(op(ONNXOperators.GEMM, List.of(pool.ref(), wi), "fc", Map.of("transB", 1)), classes);
            output(LOGITS_UNBIASED, unbiased);
            output(LOGITS, new Node(unbiased.ref().apply(ONNXOperators.ADD, bi), classes));
        }

        private ONNXRef<?> op(ONNXOperator operator, List<ONNXRef<?>> inputs, String name, Map<String, Object> attributes) {
            return ctx.operation(operator, inputs, name, attributes);
        }

        private void output(String name, Node x) {
            x.ref().assignTo(ctx.floatOutput(name, x.channels()));
            widths.put(name, x.channels());
        }

        // ---- the graph's declared shapes ----

        /** The input as {@code [batch, 3, 299, 299]}, the outputs in {@link #OUTPUTS}' order. */
        private OnnxMl.GraphProto declareShapes(OnnxMl.GraphProto graph) {
            OnnxMl.GraphProto.Builder b = GraphShapes.imageInput(graph, INPUT, 3, IMAGE_SIZE, IMAGE_SIZE).toBuilder();
            Map<String, OnnxMl.ValueInfoProto> outputs = new LinkedHashMap<>();
            for (OnnxMl.ValueInfoProto o : b.getOutputList()) {
                outputs.put(o.getName(), o);
            }
            if (!outputs.keySet().equals(widths.keySet()) || !outputs.keySet().containsAll(OUTPUTS)) {
                throw new IllegalStateException("outputs " + outputs.keySet() + " are not " + OUTPUTS);
            }
            b.clearOutput();
            for (String name : OUTPUTS) {
                b.addOutput(outputs.get(name));
            }
            return b.build();
        }
    }
}
