package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** RMSProp against torch.optim.RMSprop's documented update, worked by hand in float64. */
class RmsPropTest {
    @Test
    void twoStepsFollowTheRunningMeanOfSquares() {
        double lr = 0.01;
        double alpha = 0.99;
        double eps = 1e-8;
        double[] g1 = {2, -0.5, 0};
        double[] g2 = {-1.5, -0.5, 3};
        Parameter p = new Parameter("p", new FloatMatrix(1, 3, new float[] {1, 1, 1}));
        RmsProp opt = new RmsProp(lr);
        double[] theta = {1, 1, 1};
        double[] v = new double[3];
        for (double[] g : new double[][] {g1, g2}) {
            for (int i = 0; i < 3; i++) {
                p.grad().data()[i] = (float) g[i];
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                theta[i] -= lr * g[i] / (Math.sqrt(v[i]) + eps);
            }
            opt.step(List.of(p), 0, true);
            for (int i = 0; i < 3; i++) {
                assertEquals(theta[i], p.value().data()[i], 1e-6, "element " + i);
            }
            assertArrayEquals(new float[3], p.grad().data(), "gradients cleared");
        }
        assertEquals(2, opt.updates());
        assertEquals(lr, opt.learningRate(), 0, "a constant rate");
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(0.01, 1.0, 1e-8));
    }
}
