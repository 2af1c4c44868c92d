package dev.ganeval.core.onnx;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.nn.Activation;
import dev.ganeval.core.nn.Dropout;
import dev.ganeval.core.nn.Layer;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Maxout;
import dev.ganeval.core.nn.Sequential;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.io.IOException;
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

    /** The generator: input {@code z} (noise), output {@code samples}. */
    public static byte[] generator(ReferenceGan gan) {
        return export(gan.generatorNetwork(), "z", gan.config().noiseDim(), "samples", gan.config().dataDim(), false, "ganeval-generator");
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
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ganeval")
                .setGraph(ctx.buildGraph())
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .build();
        return model.toByteArray();
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
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("ganeval")
                .setGraph(ctx.buildGraph())
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .build()
                .toByteArray();
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

    /** Writes a model to a file. */
    public static void write(byte[] model, Path file) throws IOException {
        Files.write(file, model);
    }
}
