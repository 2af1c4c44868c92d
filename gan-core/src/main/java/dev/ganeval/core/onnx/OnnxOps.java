package dev.ganeval.core.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Standard ONNX operators that Tribuo's operator list ({@link ONNXOperators}) lacks, at the same opset
 * ({@link ONNXOperators#getOpsetVersion()}, 13), for graphs built with Tribuo's {@code ONNXContext}: the activations
 * and the convolution and pooling operators image networks need. Attributes are passed to
 * {@code ONNXRef.apply(op, inputs, attributes)} as {@code Integer} (INT) or {@code int[]} (INTS) values; only the
 * attributes listed here are accepted, and those marked mandatory must be given.
 */
public enum OnnxOps implements ONNXOperator {
    RELU("Relu", 1, 0),
    MAX("Max", ONNXAttribute.VARIADIC_INPUT, 0),
    /** Conv-11: inputs X, W and the optional bias B. */
    CONV("Conv", 2, 1, ints("kernel_shape", false), ints("strides", false), ints("pads", false),
            ints("dilations", false), integer("group")),
    /** AveragePool-11; {@code count_include_pad} 0 (the default) divides by the number of unpadded values. */
    AVERAGE_POOL("AveragePool", 1, 0, ints("kernel_shape", true), ints("strides", false), ints("pads", false),
            integer("count_include_pad"), integer("ceil_mode")),
    /** MaxPool-12, its optional second output (the indices) not used. */
    MAX_POOL("MaxPool", 1, 0, ints("kernel_shape", true), ints("strides", false), ints("pads", false),
            ints("dilations", false), integer("ceil_mode")),
    /** [N, C, H, W] to [N, C, 1, 1]. */
    GLOBAL_AVERAGE_POOL("GlobalAveragePool", 1, 0),
    /** Flatten-13: [d0, ..., dn] to [d0·…·d(axis−1), d(axis)·…·dn]. */
    FLATTEN("Flatten", 1, 0, integer("axis")),
    /** MatMul-13: numpy's matmul, batched over the leading dimensions. */
    MATMUL("MatMul", 2, 0),
    /** Reshape-13: the second input an int64 shape, 0 copying the input's dimension there and −1 inferred. */
    RESHAPE("Reshape", 2, 0),
    /** Transpose-13 with the permutation {@code perm}. */
    TRANSPOSE("Transpose", 1, 0, ints("perm", true)),
    SQRT("Sqrt", 1, 0),
    /** The error function (exact GELU is {@code 0.5·x·(1 + erf(x/√2))}). */
    ERF("Erf", 1, 0),
    /** Shape-13: the input's shape as an int64 vector. */
    SHAPE("Shape", 1, 0),
    /** Expand-13: broadcast the input to the int64 shape given as the second input. */
    EXPAND("Expand", 2, 0),
    /** ReduceSumSquare-13: the sum of squares over {@code axes} (an attribute at this opset, unlike ReduceSum-13's). */
    REDUCE_SUM_SQUARE("ReduceSumSquare", 1, 0, ints("axes", false), integer("keepdims"));

    private final String name;
    private final int inputs;
    private final int optionalInputs;
    private final Map<String, ONNXAttribute> attributes;

    OnnxOps(String name, int inputs, int optionalInputs, ONNXAttribute... attributes) {
        this.name = name;
        this.inputs = inputs;
        this.optionalInputs = optionalInputs;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        for (ONNXAttribute a : attributes) {
            m.put(a.getName(), a);
        }
        this.attributes = Map.copyOf(m);
    }

    private static ONNXAttribute ints(String name, boolean mandatory) {
        return new ONNXAttribute(name, AttributeType.INTS, mandatory);
    }

    private static ONNXAttribute integer(String name) {
        return new ONNXAttribute(name, AttributeType.INT, false);
    }

    @Override
    public String getOpName() {
        return name;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return optionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return "ai.onnx";
    }
}
