package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second backward pass (WGAN-GP's gradient penalty) against finite differences: for a ReLU MLP f and the penalty
 * P = Σ_rows (‖∂f/∂x‖ − 1)² on the input gradients backward(s, INPUT) gives for a seed s, the analytic ∂P/∂θ and
 * ∂P/∂s from {@link Layer#backwardOfBackward} must match central differences of P (summed in float64).
 */
class DoubleBackpropTest {
    private static final double H = 1e-3;

    private static Sequential mlp(Random rnd, int in, int width) {
        Linear a = new Linear(in, width).initUniform(rnd, 1f);
        Linear b = new Linear(width, width).initUniform(rnd, 0.8f);
        Linear c = new Linear(width, 1).initUniform(rnd, 0.8f);
        for (Linear l : new Linear[] {a, b, c}) {
            float[] bias = l.bias().value().data();
            for (int j = 0; j < bias.length; j++) {
                bias[j] = (float) (rnd.nextGaussian() * 0.3);
            }
        }
        return new Sequential(a, Activation.relu(), b, Activation.relu(), c);
    }

    /** P from a forward and an input-gradient pass; no parameter gradient is touched. */
    private static double penalty(Sequential f, FloatMatrix x, FloatMatrix seed) {
        f.forward(x, false);
        FloatMatrix g = f.backward(seed, Layer.Gradients.INPUT);
        double p = 0;
        for (int i = 0; i < g.rows(); i++) {
            double sq = 0;
            for (int k = 0; k < g.cols(); k++) {
                sq += (double) g.get(i, k) * g.get(i, k);
            }
            p += (Math.sqrt(sq) - 1) * (Math.sqrt(sq) - 1);
        }
        return p;
    }

    /** Central difference of P along one coordinate, or NaN where a ReLU kink lies within the step. */
    private static double derivative(Sequential f, FloatMatrix x, FloatMatrix seed, float[] target, int idx) {
        float orig = target[idx];
        double mid = penalty(f, x, seed);
        target[idx] = (float) (orig + H);
        double up = penalty(f, x, seed);
        target[idx] = (float) (orig - H);
        double down = penalty(f, x, seed);
        target[idx] = orig;
        double forward = (up - mid) / H;
        double backward = (mid - down) / H;
        double central = (up - down) / (2 * H);
        return Math.abs(forward - backward) > 2e-3 + 2e-2 * Math.abs(central) ? Double.NaN : central;
    }

    @Property(tries = 20)
    void theSecondBackwardPassIsThePenaltysGradient(@ForAll @IntRange(min = 1, max = 6) int rows,
                                                    @ForAll @IntRange(min = 1, max = 5) int in,
                                                    @ForAll @IntRange(min = 0, max = 1_000_000) int seedValue) {
        Random rnd = new Random(seedValue);
        Sequential f = mlp(rnd, in, 6);
        FloatMatrix x = GradientCheckTest.random(rnd, rows, in, 1);
        FloatMatrix seed = GradientCheckTest.random(rnd, rows, 1, 1);
        f.parameters().forEach(Parameter::zeroGrad);
        f.forward(x, false);
        FloatMatrix g = f.backward(seed, Layer.Gradients.INPUT);
        for (Parameter p : f.parameters()) {
            assertTrue(java.util.Arrays.equals(p.grad().data(), new float[p.grad().data().length]),
                    "an input-gradient pass touched " + p.name());
        }
        FloatMatrix adjoint = new FloatMatrix(rows, in);
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int k = 0; k < in; k++) {
                sq += (double) g.get(i, k) * g.get(i, k);
            }
            double norm = Math.sqrt(sq);
            for (int k = 0; k < in; k++) {
                adjoint.set(i, k, norm > 0 ? (float) (2 * (norm - 1) * g.get(i, k) / norm) : 0f);
            }
        }
        FloatMatrix dSeed = f.backwardOfBackward(adjoint, seed);
        int checked = 0;
        for (Parameter p : f.parameters()) {
            float[] v = p.value().data();
            for (int probe = 0; probe < 6; probe++) {
                int idx = rnd.nextInt(v.length);
                double numeric = derivative(f, x, seed, v, idx);
                if (!Double.isNaN(numeric)) {
                    assertEquals(numeric, p.grad().data()[idx], 2e-3 + 2e-2 * Math.abs(numeric),
                            p.name() + "[" + idx + "]");
                    checked++;
                }
            }
        }
        for (int i = 0; i < rows; i++) {
            double numeric = derivative(f, x, seed, seed.data(), i);
            if (!Double.isNaN(numeric)) {
                assertEquals(numeric, dSeed.data()[i], 2e-3 + 2e-2 * Math.abs(numeric), "seed[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 0, "every probe fell on a kink");
    }

    @Test
    void aSmoothActivationRefusesTheSecondPass() {
        Sequential f = new Sequential(new Linear(2, 3), Activation.sigmoid(), new Linear(3, 1));
        FloatMatrix x = new FloatMatrix(1, 2);
        FloatMatrix seed = new FloatMatrix(1, 1);
        f.forward(x, false);
        f.backward(seed, Layer.Gradients.INPUT);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> f.backwardOfBackward(new FloatMatrix(1, 2), seed));
        assertTrue(e.getMessage().contains("sigmoid"), e.getMessage());
        // Only after an input-gradient pass with the same seed.
        f.backward(seed, Layer.Gradients.ALL);
        assertThrows(IllegalStateException.class, () -> f.backwardOfBackward(new FloatMatrix(1, 2), seed));
    }
}
