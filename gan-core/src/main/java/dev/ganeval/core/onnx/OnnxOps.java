package dev.ganeval.core.onnx;

import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.Map;
import java.util.Set;

/** Standard ONNX operators the exporter needs that Tribuo's operator list lacks (Relu, Max), same opset. */
enum OnnxOps implements ONNXOperator {
    RELU("Relu", 1),
    MAX("Max", ONNXAttribute.VARIADIC_INPUT);

    private final String name;
    private final int inputs;

    OnnxOps(String name, int inputs) {
        this.name = name;
        this.inputs = inputs;
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
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Map.of();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
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
