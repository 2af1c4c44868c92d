package dev.ganeval.core.nn;

import dev.ganeval.core.data.Fixtures;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamTest {
    private static Parameter parameter(float... values) {
        return new Parameter("p", new FloatMatrix(1, values.length, values.clone()));
    }

    private static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.grad().data(), 0, g.length);
    }

    @Test
    void underAConstantGradientEveryStepMovesByTheLearningRateTimesItsSign() {
        // Bias-corrected, m̂ = g and v̂ = g² at every t when g never changes, so each step is −η·g/(|g| + ε): the
        // closed form that holds whatever the betas.
        double lr = 0.01;
        double eps = 1e-8;
        float[] g = {0.3f, -2f, 1e-3f, 0f};
        Parameter p = parameter(1f, 1f, 1f, 1f);
        Adam adam = new Adam(lr, 1, 0, 0.9, 0.999, eps);
        for (int t = 1; t <= 5; t++) {
            setGrad(p, g);
            adam.step(List.of(p), 0, true);
            for (int i = 0; i < g.length; i++) {
                double expected = 1 - t * lr * g[i] / (Math.abs(g[i]) + eps);
                assertEquals(expected, p.value().data()[i], 2e-6, "element " + i + " after step " + t);
            }
            assertArrayEquals(new float[g.length], p.grad().data(), "gradients cleared for the next minibatch");
        }
        assertEquals(5, adam.updates());
    }

    @Test
    void theSecondStepFollowsTheBiasCorrectedMoments() {
        // Two different gradients, worked by hand: t = 2, m = (1−β1)(β1·g1 + g2), v = (1−β2)(β2·g1² + g2²).
        double b1 = 0.5;
        double b2 = 0.9;
        double lr = 0.1;
        double eps = 1e-8;
        double g1 = 2;
        double g2 = -1.5;
        Parameter p = parameter(0f);
        Adam adam = new Adam(lr, 1, 0, b1, b2, eps);
        setGrad(p, (float) g1);
        adam.step(List.of(p), 0, true);
        setGrad(p, (float) g2);
        adam.step(List.of(p), 0, true);
        double first = -lr * Math.signum(g1);
        double m = (1 - b1) * (b1 * g1 + g2);
        double v = (1 - b2) * (b2 * g1 * g1 + g2 * g2);
        double second = -lr * (m / (1 - b1 * b1)) / (Math.sqrt(v / (1 - b2 * b2)) + eps);
        assertEquals(first + second, p.value().data()[0], 1e-6);
        assertEquals(m, adam.state(p).get(0)[0], 1e-6);
        assertEquals(v, adam.state(p).get(1)[0], 1e-6);
    }

    @Test
    void followsTorchOptimAdamStepByStep() {
        // testdata/make_adam_reference.py: torch.optim.Adam (Debian's python3-torch 1.13, float32) on 64 values over
        // 40 steps of mixed-scale gradients, its learning rate set to this schedule before each step.
        Map<String, NpyArray> ref = Npy.readNpz(Fixtures.testdata().resolve("reference/adam.npz"));
        double[] s = ref.get("settings").toDoubles();
        FloatMatrix grads = ref.get("grads").toMatrix();
        FloatMatrix after = ref.get("after").toMatrix();
        Parameter p = parameter(ref.get("start").toMatrix().data());
        Adam adam = new Adam(s[0], s[1], s[2], s[3], s[4], s[5]);
        for (int t = 0; t < grads.rows(); t++) {
            System.arraycopy(grads.data(), t * grads.cols(), p.grad().data(), 0, grads.cols());
            adam.step(List.of(p), 0, true);
            for (int i = 0; i < grads.cols(); i++) {
                float expected = after.get(t, i);
                assertEquals(expected, p.value().data()[i], 2e-6f * Math.max(1f, Math.abs(expected)), "step " + t + ", value " + i);
            }
        }
    }

    @Test
    void minimisesAQuadratic() {
        float[] target = {3f, -1f, 0.5f};
        Parameter p = parameter(0f, 0f, 0f);
        Adam adam = new Adam(0.05, 1.001, 1e-4, 0.9, 0.999, 1e-8);
        for (int step = 0; step < 3000; step++) {
            for (int i = 0; i < target.length; i++) {
                p.grad().data()[i] = 2 * (p.value().data()[i] - target[i]);
            }
            adam.step(List.of(p), 0, true);
        }
        assertArrayEquals(target, p.value().data(), 1e-2f);
        assertEquals(Math.max(1e-4, 0.05 / Math.pow(1.001, 3000)), adam.learningRate(), 1e-12, "the Sgd schedule");
    }

    @Test
    void restoredUpdatesAndMomentsContinueExactly() {
        float[][] grads = {{0.5f, -0.2f}, {0.1f, 0.4f}, {-0.3f, 0.3f}, {0.2f, -0.1f}};
        Parameter straight = parameter(1f, 2f);
        Adam a = new Adam(0.01, 1.0001, 0, 0.5, 0.999, 1e-8);
        for (float[] g : grads) {
            setGrad(straight, g);
            a.step(List.of(straight), 0, true);
        }
        Parameter first = parameter(1f, 2f);
        Adam b = new Adam(0.01, 1.0001, 0, 0.5, 0.999, 1e-8);
        for (int k = 0; k < 2; k++) {
            setGrad(first, grads[k]);
            b.step(List.of(first), 0, true);
        }
        Parameter resumed = parameter(first.value().data());
        Adam c = new Adam(0.01, 1.0001, 0, 0.5, 0.999, 1e-8);
        c.restoreUpdates(b.updates());
        for (int s = 0; s < 2; s++) {
            System.arraycopy(b.state(first).get(s), 0, c.state(resumed).get(s), 0, 2);
        }
        for (int k = 2; k < 4; k++) {
            setGrad(resumed, grads[k]);
            c.step(List.of(resumed), 0, true);
        }
        assertArrayEquals(straight.value().data(), resumed.value().data());
        assertEquals(a.learningRate(), c.learningRate());
    }

    @Test
    void badSettingsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1, 0, 1, 0.999, 1e-8)).getMessage()
                .contains("betas"));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0.1, 1, 0, 0.5, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> new Adam(0, 1, 0, 0.5, 0.999, 1e-8));
    }
}
