package dev.ganeval.core.onnx;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.nn.Activation;
import dev.ganeval.core.nn.Dropout;
import dev.ganeval.core.nn.Layer;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Maxout;
import dev.ganeval.core.nn.Sequential;
import dev.ganeval.core.sampling.Noise;
import dev.ganeval.core.sampling.PixelRange;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ganeval.core.data.Float16;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports trained networks to ONNX (opset {@value #OPSET_NOTE}) with Tribuo's ONNX builder: {@link Linear} → Gemm,
 * ReLU/sigmoid → Relu/Sigmoid, {@link Maxout} → one Gemm per piece and a Max, {@link Dropout} → nothing (it is
 * the identity at inference). Inputs and outputs are float32 {@code [batch, width]}.
 *
 * <p>The generator is exported as {@code z → samples}; the discriminator as {@code x → p_real} with the sigmoid
 * of the logit appended, so any consumer gets P(real) directly.
 */
public final class OnnxExport {
    static final String OPSET_NOTE = "Tribuo's default";
    private static final long IR_VERSION = 8;

    private OnnxExport() {}

    /**
     * The generator: input {@code z} (noise), output {@code samples} in [0, 1]. Its metadata records the noise
     * ({@link Noise#METADATA_KEY}), the output range ({@link PixelRange#METADATA_KEY}) and, for square data, the
     * sample shape ({@link OnnxGenerator#SHAPE_KEY}), so {@link OnnxGenerator} needs no options to sample it.
     */
    public static byte[] generator(ReferenceGan gan) {
        int side = OnnxGenerator.squareSide(gan.config().dataDim());
        return generator(gan, side, side);
    }

    /**
     * The generator as {@link #generator(ReferenceGan)}, its samples recorded as gray {@code height × width} images
     * (for data that is not square; 0, 0 records no shape).
     *
     * @throws IllegalArgumentException if height·width is not the generator's output size
     */
    public static byte[] generator(ReferenceGan gan, int height, int width) {
        int d = gan.config().dataDim();
        if (!(height == 0 && width == 0) && (height < 1 || width < 1 || (long) height * width != d)) {
            throw new IllegalArgumentException("a " + height + "x" + width + " image does not hold the generator's " + d + " values");
        }
        byte[] model = export(gan.generatorNetwork(), "z", gan.config().noiseDim(), "samples", d, false, "ganeval-generator");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Noise.METADATA_KEY, gan.config().noise().toString());
        meta.put(PixelRange.METADATA_KEY, PixelRange.UNIT.toString());
        if (height > 0) {
            meta.put(OnnxGenerator.SHAPE_KEY, "1," + height + "," + width);
        }
        return withMetadata(model, meta);
    }

    /** The model with {@code metadata_props} entries added (an existing key is replaced). */
    public static byte[] withMetadata(byte[] model, Map<String, String> metadata) {
        OnnxMl.ModelProto m = parse(model);
        Map<String, String> all = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : m.getMetadataPropsList()) {
            all.put(e.getKey(), e.getValue());
        }
        all.putAll(metadata);
        OnnxMl.ModelProto.Builder b = m.toBuilder().clearMetadataProps();
        all.forEach((k, v) -> b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return b.build().toByteArray();
    }

    /**
     * The model with every float32 initializer of at least {@code minElements} values stored as float16 and cast
     * back to float32 by a {@code Cast} node at the start of the graph: half the file size, the same float32
     * arithmetic at run time, weights rounded to 11 significant bits (relative error ≤ 2⁻¹¹). The way to ship a
     * trained network compactly.
     */
    public static byte[] withHalfPrecisionWeights(byte[] model, int minElements) {
        OnnxMl.ModelProto m = parse(model);
        OnnxMl.GraphProto g = m.getGraph();
        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearInitializer().clearNode();
        List<OnnxMl.NodeProto> casts = new ArrayList<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            long count = 1;
            for (long dim : t.getDimsList()) {
                count *= dim;
            }
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber() || count < minElements || t.hasDataLocation()
                    && t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                gb.addInitializer(t);
                continue;
            }
            float[] values = floats(t, (int) count);
            ByteBuffer half = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                half.putShort(Float16.fromFloat(v));
            }
            String halfName = t.getName() + "_fp16";
            gb.addInitializer(OnnxMl.TensorProto.newBuilder()
                    .setName(halfName)
                    .addAllDims(t.getDimsList())
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT16.getNumber())
                    .setRawData(ByteString.copyFrom(half.array())));
            casts.add(OnnxMl.NodeProto.newBuilder()
                    .setOpType("Cast")
                    .setName(halfName + "_cast")
                    .addInput(halfName)
                    .addOutput(t.getName())
                    .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT)
                            .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))
                    .build());
        }
        gb.addAllNode(casts).addAllNode(g.getNodeList());
        return m.toBuilder().setGraph(gb).build().toByteArray();
    }

    private static float[] floats(OnnxMl.TensorProto t, int count) {
        float[] v = new float[count];
        if (t.getFloatDataCount() == count) {
            for (int i = 0; i < count; i++) {
                v[i] = t.getFloatData(i);
            }
        } else if (t.getRawData().size() == 4L * count) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            throw new IllegalArgumentException("initializer '" + t.getName() + "' holds neither " + count + " float_data values nor "
                    + 4L * count + " raw bytes");
        }
        return v;
    }

    private static OnnxMl.ModelProto parse(byte[] model) {
        try {
            return OnnxMl.ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** The discriminator: input {@code x}, output {@code p_real} (the sigmoid of its logit). */
    public static byte[] discriminator(ReferenceGan gan) {
        return export(gan.discriminatorNetwork(), "x", gan.config().dataDim(), "p_real", 1, true, "ganeval-discriminator");
    }

    /** Any network of the supported layers. */
    public static byte[] export(Sequential net, String inputName, int inputWidth, String outputName, int outputWidth,
                                boolean appendSigmoid, String graphName) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName(graphName);
        ONNXPlaceholder input = ctx.floatInput(inputName, inputWidth);
        ONNXPlaceholder output = ctx.floatOutput(outputName, outputWidth);
        ONNXRef<?> h = append(ctx, net, input);
        if (appendSigmoid) {
            h = h.apply(ONNXOperators.SIGMOID);
        }
        h.assignTo(output);
        return model(ctx.buildGraph());
    }

    /**
     * A graph built with Tribuo's {@code ONNXContext} (operators from {@link ONNXOperators} and {@link OnnxOps}) as a
     * serialised model: IR version 8, Tribuo's opset, producer {@code ganeval}.
     */
    public static byte[] model(OnnxMl.GraphProto graph) {
        return modelProto(graph).toByteArray();
    }

    /**
     * {@link #model}'s model before it is serialised, for a caller that writes it to a file
     * ({@code modelProto(graph).writeTo(out)}) rather than holding a second, contiguous copy of a large graph in memory.
     */
    public static OnnxMl.ModelProto modelProto(OnnxMl.GraphProto graph) {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ganeval")
                .setGraph(graph)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .build();
    }

    /**
     * A classifier with two outputs: {@code logits} (the network's output) and {@code features}, the activations
     * after top-level layer {@code featureLayer} — the penultimate layer FID-style metrics read.
     */
    public static byte[] classifier(Sequential net, String inputName, int inputWidth, int featureLayer, int featureWidth,
                                    int classes, String graphName) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName(graphName);
        ONNXPlaceholder input = ctx.floatInput(inputName, inputWidth);
        ONNXPlaceholder features = ctx.floatOutput("features", featureWidth);
        ONNXPlaceholder logits = ctx.floatOutput("logits", classes);
        ONNXRef<?> h = input;
        List<Layer> layers = net.layers();
        for (int i = 0; i < layers.size(); i++) {
            h = append(ctx, layers.get(i), h);
            if (i == featureLayer) {
                h.apply(ONNXOperators.IDENTITY).assignTo(features);
            }
        }
        h.assignTo(logits);
        return model(ctx.buildGraph());
    }

    private static ONNXRef<?> append(ONNXContext ctx, Layer layer, ONNXRef<?> h) {
        if (layer instanceof Sequential s) {
            for (Layer l : s.layers()) {
                h = append(ctx, l, h);
            }
            return h;
        }
        if (layer instanceof Dropout) {
            return h;
        }
        if (layer instanceof Linear lin) {
            return gemm(ctx, h, lin.weight().value().data(), lin.bias().value().data(), lin.in(), lin.out());
        }
        if (layer instanceof Activation a) {
            return switch (a.kind()) {
                case "relu" -> h.apply(OnnxOps.RELU);
                case "sigmoid" -> h.apply(ONNXOperators.SIGMOID);
                default -> throw new IllegalArgumentException("no ONNX mapping for activation " + a.kind());
            };
        }
        if (layer instanceof Maxout m) {
            int in = m.linear().in();
            int units = m.units();
            int pieces = m.pieces();
            float[] w = m.linear().weight().value().data();
            float[] b = m.linear().bias().value().data();
            List<ONNXRef<?>> parts = new ArrayList<>();
            for (int p = 0; p < pieces; p++) {
                float[] wp = new float[in * units];
                float[] bp = new float[units];
                for (int u = 0; u < units; u++) {
                    int col = u * pieces + p;
                    for (int i = 0; i < in; i++) {
                        wp[i * units + u] = w[i * units * pieces + col];
                    }
                    bp[u] = b[col];
                }
                parts.add(gemm(ctx, h, wp, bp, in, units));
            }
            return pieces == 1 ? parts.get(0) : parts.get(0).apply(OnnxOps.MAX, parts.subList(1, parts.size()));
        }
        throw new IllegalArgumentException("no ONNX mapping for layer " + layer.getClass().getSimpleName());
    }

    private static ONNXRef<?> gemm(ONNXContext ctx, ONNXRef<?> h, float[] w, float[] b, int in, int out) {
        ONNXInitializer wi = ctx.floatTensor("W", List.of(in, out), fb -> fb.put(w));
        ONNXInitializer bi = ctx.floatTensor("b", List.of(out), fb -> fb.put(b));
        return h.apply(ONNXOperators.GEMM, List.<ONNXRef<?>>of(wi, bi));
    }

    /** Writes a model to a file, atomically ({@link dev.ganeval.core.data.AtomicFiles}). */
    public static void write(byte[] model, Path file) throws IOException {
        dev.ganeval.core.data.AtomicFiles.write(file, model);
    }
}
