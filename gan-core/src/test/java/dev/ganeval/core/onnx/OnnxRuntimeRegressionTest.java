package dev.ganeval.core.onnx;

import dev.ganeval.core.data.Fixtures;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Graphs on which an ONNX Runtime release disagreed with PyTorch; the pinned release must not. */
class OnnxRuntimeRegressionTest {
    @Test
    void paddedAveragePoolingMatchesPyTorchWithGraphOptimisationsOn() {
        // Inception-v3's 3x3 average pooling with count_include_pad, exported by torch as Pad + AveragePool. ONNX
        // Runtime 1.19's Pad fusion dropped the padding from the divisor (microsoft/onnxruntime#22177), which moved
        // Inception pool features by up to 25 %; fixed in 1.21.
        var dir = Fixtures.testdata().resolve("onnx");
        Map<String, NpyArray> ref = Npy.readNpz(dir.resolve("avgpool-pad.npz"));
        float[] want = ref.get("y").toFloats();
        try (OnnxModel m = OnnxModel.load(dir.resolve("avgpool-pad.onnx"), Device.CPU)) {
            FloatMatrix y = m.run(ref.get("x").toFloats(), new long[] {2, 2, 7, 7}, "y");
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], y.data()[i], 1e-6, "element " + i);
            }
        }
    }
}
