package dev.ganeval.metrics.features;

import ai.onnx.proto.OnnxMl;

/** Shapes Tribuo's graph builder cannot declare (it declares matrices only), set on the built graph. */
final class GraphShapes {
    private GraphShapes() {}

    /** The graph with its input {@code name} declared as images {@code [batch, channels, height, width]}. */
    static OnnxMl.GraphProto imageInput(OnnxMl.GraphProto graph, String name, int channels, int height, int width) {
        OnnxMl.TensorShapeProto shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(height))
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        OnnxMl.GraphProto.Builder b = graph.toBuilder();
        for (OnnxMl.ValueInfoProto.Builder in : b.getInputBuilderList()) {
            if (in.getName().equals(name)) {
                in.getTypeBuilder().getTensorTypeBuilder().setShape(shape);
            }
        }
        return b.build();
    }
}
