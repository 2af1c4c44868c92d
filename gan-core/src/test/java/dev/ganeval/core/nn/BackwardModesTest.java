package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Layer.Gradients;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The partial backward passes compute exactly what the full one does, minus what they skip: PARAMETERS the same
 * parameter gradients and no input gradient, INPUT the same input gradient and no parameter gradient.
 */
class BackwardModesTest {

    private static Sequential discriminatorLike(long seed) {
        SplittableRandom init = new SplittableRandom(seed);
        ReseedableRandom drop = new ReseedableRandom(seed + 1);
        return new Sequential(
                new Dropout(0.8f, drop),
                new Maxout(12, 5, 3).initUniform(init, 0.5f),
                new Dropout(0.5f, drop),
                new Maxout(5, 4, 2).initUniform(init, 0.5f),
                new Linear(4, 1).initUniform(init, 0.5f));
    }

    private static Sequential generatorLike(long seed) {
        SplittableRandom init = new SplittableRandom(seed);
        return new Sequential(
                new Linear(3, 9).initUniform(init, 0.5f), Activation.relu(),
                new Linear(9, 12).initUniform(init, 0.5f), Activation.sigmoid());
    }

    private static List<float[]> gradients(Layer net) {
        List<float[]> g = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            g.add(p.grad().data().clone());
        }
        return g;
    }

    private static void zero(Layer net) {
        for (Parameter p : net.parameters()) {
            p.zeroGrad();
        }
    }

    private static void check(Sequential net, int rows, int in, int out, long seed) {
        Random rnd = new Random(seed);
        FloatMatrix x = GradientCheckTest.random(rnd, rows, in, 1.0);
        FloatMatrix r = GradientCheckTest.random(rnd, rows, out, 1.0);
        zero(net);
        net.forward(x, true);
        float[] dxAll = net.backward(r, Gradients.ALL).data().clone();
        List<float[]> gAll = gradients(net);

        zero(net);
        assertNull(net.backward(r, Gradients.PARAMETERS));
        List<float[]> gParams = gradients(net);
        for (int k = 0; k < gAll.size(); k++) {
            assertArrayEquals(gAll.get(k), gParams.get(k), "parameter " + k + " with PARAMETERS");
        }

        zero(net);
        float[] dxInput = net.backward(r, Gradients.INPUT).data();
        assertArrayEquals(dxAll, dxInput, "input gradient with INPUT");
        for (float[] g : gradients(net)) {
            assertArrayEquals(new float[g.length], g, "INPUT must leave parameter gradients at zero");
        }
    }

    @Property(tries = 30)
    void discriminatorModesAgreeWithTheFullPass(@ForAll @IntRange(min = 1, max = 40) int rows,
                                                @ForAll long seed) {
        check(discriminatorLike(seed), rows, 12, 1, seed);
    }

    @Property(tries = 30)
    void generatorModesAgreeWithTheFullPass(@ForAll @IntRange(min = 1, max = 40) int rows, @ForAll long seed) {
        check(generatorLike(seed), rows, 3, 12, seed);
    }
}
