package dev.ganeval.core.onnx;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.sampling.Noise;
import dev.ganeval.core.sampling.PixelRange;
import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShippedGeneratorTest {
    @Test
    void theShippedMnistGeneratorDescribesItselfAndDrawsDigitLikeImages() {
        Properties made = ShippedGenerator.description();
        assertTrue(Integer.parseInt(made.getProperty("epochs")) >= 1, made.toString());
        try (OnnxGenerator g = ShippedGenerator.mnist(Device.CPU)) {
            assertEquals(Noise.uniform(Math.sqrt(3)), g.noise());
            assertEquals(PixelRange.UNIT, g.pixelRange());
            assertArrayEquals(new int[] {1, 28, 28}, g.sampleShape());
            FloatMatrix x = g.sample(200, new SplittableRandom(1));
            // MNIST digits are mostly black background with a bright stroke: the border is dark, the mean ink low.
            double border = 0;
            double mean = 0;
            for (int i = 0; i < x.rows(); i++) {
                for (int p = 0; p < 784; p++) {
                    float v = x.get(i, p);
                    mean += v;
                    int r = p / 28;
                    int c = p % 28;
                    if (r < 2 || r > 25 || c < 2 || c > 25) {
                        border += v;
                    }
                }
            }
            mean /= 200.0 * 784;
            border /= 200.0 * (784 - 24 * 24);
            assertTrue(mean > 0.05 && mean < 0.25, "mean intensity " + mean + " (MNIST: 0.13)");
            assertTrue(border < 0.02, "border intensity " + border);
        }
    }
}
