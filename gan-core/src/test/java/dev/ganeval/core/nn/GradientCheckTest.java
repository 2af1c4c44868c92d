package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference checks of every layer's backward pass: for L = Σ forward(x) ⊙ R with a fixed random R, the
 * analytic ∂L/∂x and ∂L/∂θ from backward(R) must match central differences of L (summed in float64).
 */
class GradientCheckTest {
    private static final double H = 1e-3;

    static FloatMatrix random(Random rnd, int n, int d, double scale) {
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    static double loss(Layer layer, FloatMatrix x, FloatMatrix r) {
        FloatMatrix y = layer.forward(x, false);
        double s = 0;
        for (int i = 0; i < y.data().length; i++) {
            s += (double) y.data()[i] * r.data()[i];
        }
        return s;
    }

    /**
     * Central difference of L along one coordinate, or NaN where L is not smooth there (a ReLU or maxout kink
     * within the step): then the forward and backward differences disagree.
     */
    static double derivative(Layer layer, FloatMatrix x, FloatMatrix r, float[] target, int idx) {
        float orig = target[idx];
        float hi = (float) (orig + H);
        float lo = (float) (orig - H);
        double mid = loss(layer, x, r);
        target[idx] = hi;
        double up = loss(layer, x, r);
        target[idx] = lo;
        double down = loss(layer, x, r);
        target[idx] = orig;
        double forward = (up - mid) / ((double) hi - orig);
        double backward = (mid - down) / ((double) orig - lo);
        double central = (up - down) / ((double) hi - lo);
        return Math.abs(forward - backward) > 2e-3 + 2e-2 * Math.abs(central) ? Double.NaN : central;
    }

    static void check(Supplier<Layer> make, int n, int in, int out, long seed) {
        Random rnd = new Random(seed);
        Layer layer = make.get();
        FloatMatrix x = random(rnd, n, in, 1);
        FloatMatrix r = random(rnd, n, out, 1);
        layer.forward(x, false);
        for (Parameter p : layer.parameters()) {
            p.zeroGrad();
        }
        FloatMatrix dx = layer.backward(r);
        int probes = 0;
        int kinks = 0;
        for (int k = 0; k < Math.min(20, x.data().length); k++) {
            int idx = rnd.nextInt(x.data().length);
            double numeric = derivative(layer, x, r, x.data(), idx);
            probes++;
            if (Double.isNaN(numeric)) {
                kinks++;
                continue;
            }
            assertEquals(numeric, dx.data()[idx], 5e-3 + 1e-2 * Math.abs(numeric), "d/dx[" + idx + "]");
        }
        for (Parameter p : layer.parameters()) {
            float[] v = p.value().data();
            for (int k = 0; k < Math.min(20, v.length); k++) {
                int idx = rnd.nextInt(v.length);
                double numeric = derivative(layer, x, r, v, idx);
                probes++;
                if (Double.isNaN(numeric)) {
                    kinks++;
                    continue;
                }
                assertEquals(numeric, p.grad().data()[idx], 5e-3 + 1e-2 * Math.abs(numeric), p.name() + "[" + idx + "]");
            }
        }
        assertTrue(kinks <= Math.max(1, probes / 4), kinks + " of " + probes + " probes hit a kink: too few were checked");
    }

    @Property(tries = 15)
    void linear(@ForAll @IntRange(min = 1, max = 20) int n, @ForAll @IntRange(min = 1, max = 30) int in,
                @ForAll @IntRange(min = 1, max = 30) int out) {
        check(() -> new Linear(in, out).initUniform(new SplittableRandom(n), 0.5f), n, in, out, n * 31L + in);
    }

    @Property(tries = 15)
    void maxout(@ForAll @IntRange(min = 1, max = 10) int n, @ForAll @IntRange(min = 1, max = 12) int units,
                @ForAll @IntRange(min = 1, max = 5) int pieces) {
        check(() -> new Maxout(7, units, pieces).initUniform(new SplittableRandom(units), 0.5f), n, 7, units, n + units * 13L);
    }

    @Test
    void activations() {
        check(Activation::sigmoid, 6, 9, 9, 1);
        check(Activation::relu, 6, 9, 9, 2);
    }

    @Test
    void stackedNetwork() {
        SplittableRandom rng = new SplittableRandom(3);
        check(() -> new Sequential(new Linear(5, 8).initUniform(rng, 0.5f), Activation.relu(),
                new Maxout(8, 4, 3).initUniform(rng, 0.5f), new Linear(4, 2).initUniform(rng, 0.5f), Activation.sigmoid()),
                7, 5, 2, 4);
    }

    @Test
    void binaryCrossEntropyGradientAndStability() {
        FloatMatrix z = new FloatMatrix(4, 1, new float[] {-2f, 0.3f, 1.7f, 5f});
        for (float target : new float[] {0f, 1f}) {
            BinaryCrossEntropy.Result r = BinaryCrossEntropy.withLogits(z, target);
            double naive = 0;
            for (float zi : z.data()) {
                double s = 1 / (1 + Math.exp(-zi));
                naive += -(target * Math.log(s) + (1 - target) * Math.log(1 - s));
            }
            assertEquals(naive / 4, r.loss(), 1e-12);
            for (int i = 0; i < 4; i++) {
                FloatMatrix zp = z.copy();
                zp.data()[i] += (float) H;
                FloatMatrix zm = z.copy();
                zm.data()[i] -= (float) H;
                double step = (double) zp.data()[i] - zm.data()[i];
                double numeric = (BinaryCrossEntropy.withLogits(zp, target).loss() - BinaryCrossEntropy.withLogits(zm, target).loss()) / step;
                assertEquals(numeric, r.gradient().data()[i], 1e-5);
            }
        }
        BinaryCrossEntropy.Result extreme = BinaryCrossEntropy.withLogits(new FloatMatrix(2, 1, new float[] {-500f, 500f}), 1f);
        assertEquals(250.0, extreme.loss(), 1e-9, "log(1+e^500) without overflow");
    }

    @Test
    void dropoutScalesKeptUnitsAndRoutesGradientsThroughTheSameMask() {
        Dropout drop = new Dropout(0.8f, new SplittableRandom(5));
        FloatMatrix x = new FloatMatrix(200, 50);
        java.util.Arrays.fill(x.data(), 1f);
        FloatMatrix y = drop.forward(x, true);
        FloatMatrix g = drop.backward(x);
        double mean = 0;
        for (int i = 0; i < y.data().length; i++) {
            float v = y.data()[i];
            assertTrue(v == 0f || v == 1.25f, "kept units scale by 1/keep");
            assertEquals(v, g.data()[i], 0f);
            mean += v;
        }
        assertEquals(1.0, mean / y.data().length, 0.02, "inverted dropout preserves the mean");
        assertTrue(drop.forward(x, false) == x, "identity at evaluation");
    }

    @Property(tries = 20)
    void dropoutKeepsExactlyTheUnitsWhoseUniformDrawIsBelowKeep(@ForAll long seed,
                                                                @ForAll @IntRange(min = 1, max = 99) int keepPercent) {
        float keep = keepPercent / 100f;
        Dropout drop = new Dropout(keep, new SplittableRandom(seed));
        FloatMatrix x = new FloatMatrix(7, 300);
        java.util.Arrays.fill(x.data(), 1f);
        FloatMatrix y = drop.forward(x, true);
        SplittableRandom same = new SplittableRandom(seed);
        for (int i = 0; i < y.data().length; i++) {
            float expected = same.nextFloat() < keep ? 1f / keep : 0f;
            assertEquals(expected, y.data()[i], 0f, "unit " + i + " with keep " + keep);
        }
    }

    @Test
    void reluAndSigmoidAgreeWithTheirDefinitions() {
        float[] v = {-3f, -1e-30f, -0f, 0f, 1e-30f, 2.5f, -90f, 90f, Float.MAX_VALUE, -Float.MAX_VALUE};
        FloatMatrix x = new FloatMatrix(1, v.length, v.clone());
        FloatMatrix g = new FloatMatrix(1, v.length);
        java.util.Arrays.fill(g.data(), -2f);
        Activation relu = Activation.relu();
        FloatMatrix y = relu.forward(x, true);
        FloatMatrix d = relu.backward(g);
        Activation sigmoid = Activation.sigmoid();
        FloatMatrix s = sigmoid.forward(x, true);
        FloatMatrix ds = sigmoid.backward(g);
        for (int i = 0; i < v.length; i++) {
            assertEquals(v[i] > 0 ? v[i] : 0f, y.data()[i], 0f, "relu(" + v[i] + ")");
            assertEquals(v[i] > 0 ? -2f : 0f, d.data()[i], 0f, "relu'(" + v[i] + ")");
            double exact = 1 / (1 + Math.exp(-(double) v[i]));
            assertEquals(exact, s.data()[i], Math.ulp((float) exact), "sigmoid(" + v[i] + ")");
            assertEquals(-2.0 * exact * (1 - exact), ds.data()[i], 1e-6, "sigmoid'(" + v[i] + ")");
        }
    }

    @Test
    void sgdMomentumScheduleAndDecay() {
        Sgd sgd = new Sgd(0.1, 1.000004, 1e-6, 0.5, 0.7, 1, 250);
        assertEquals(0.5, sgd.momentum(0), 0);
        assertEquals(0.5, sgd.momentum(1), 0);
        assertEquals(0.5 + 0.2 * 124 / 249.0, sgd.momentum(125), 1e-12);
        assertEquals(0.7, sgd.momentum(250), 0);
        assertEquals(0.7, sgd.momentum(400), 0);
        Parameter p = new Parameter("w", new FloatMatrix(1, 1, new float[] {1f}));
        p.grad().data()[0] = 2f;
        sgd.step(List.of(p), 0);
        assertEquals(1 - 0.2, p.value().data()[0], 1e-7);
        sgd.step(List.of(p), 0);
        // v = 0.5·(−0.2) − (0.1/1.000004)·2
        assertEquals(0.8 - 0.1 - 0.2 / 1.000004, p.value().data()[0], 1e-6);
        assertEquals(0.1 / Math.pow(1.000004, 2), sgd.learningRate(), 1e-12);
        Sgd floored = new Sgd(0.1, 2, 0.01, 0, 0, 0, 0);
        for (int i = 0; i < 10; i++) {
            floored.step(List.of(), 0);
        }
        assertEquals(0.01, floored.learningRate(), 0);
    }

    @Test
    void smallNetworkLearnsXor() {
        SplittableRandom rng = new SplittableRandom(7);
        Sequential net = new Sequential(new Linear(2, 16).initUniform(rng, 0.5f), Activation.relu(),
                new Linear(16, 1).initUniform(rng, 0.5f));
        Random data = new Random(8);
        int n = 256;
        FloatMatrix x = new FloatMatrix(n, 2);
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            float a = data.nextFloat() * 2 - 1;
            float b = data.nextFloat() * 2 - 1;
            x.set(i, 0, a);
            x.set(i, 1, b);
            labels[i] = a * b > 0 ? 1f : 0f;
        }
        Sgd sgd = Sgd.constant(0.5, 0.9);
        for (int epoch = 0; epoch < 400; epoch++) {
            for (Parameter p : net.parameters()) {
                p.zeroGrad();
            }
            FloatMatrix z = net.forward(x, true);
            FloatMatrix grad = new FloatMatrix(n, 1);
            for (int i = 0; i < n; i++) {
                double zi = z.get(i, 0);
                double s = 1 / (1 + Math.exp(-zi));
                grad.set(i, 0, (float) ((s - labels[i]) / n));
            }
            net.backward(grad);
            sgd.step(net.parameters(), epoch);
        }
        FloatMatrix z = net.forward(x, false);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if ((z.get(i, 0) > 0) == (labels[i] == 1f)) {
                correct++;
            }
        }
        assertTrue(correct >= 0.95 * n, "XOR accuracy " + correct + "/" + n);
    }
}
