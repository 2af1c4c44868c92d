package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierTrainerTest {
    /** Two classes on either side of the line x0 = x1. */
    private static FloatMatrix points(int n, int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        FloatMatrix x = new FloatMatrix(n, 2);
        for (int i = 0; i < n; i++) {
            float a = (float) r.nextDouble(-1, 1);
            float b = (float) r.nextDouble(-1, 1);
            x.set(i, 0, a);
            x.set(i, 1, b);
            labels[i] = a > b ? 1 : 0;
        }
        return x;
    }

    @Test
    void learnsASeparableTaskAndReportsEveryMinibatch() {
        int[] y = new int[95];
        FloatMatrix x = points(95, y, 1);
        SplittableRandom init = new SplittableRandom(2);
        Sequential net = new Sequential(new Linear(2, 16).initUniform(init, 0.5f), Activation.relu(),
                new Linear(16, 2).initUniform(init, 0.5f));
        List<long[]> seen = new ArrayList<>();
        double loss = ClassifierTrainer.train(net, x, y, 30, 10, Sgd.constant(0.1, 0.9), 3,
                (done, total) -> seen.add(new long[] {done, total}));
        assertTrue(loss < 0.3, "final loss " + loss);
        int[] yTest = new int[500];
        assertTrue(ClassifierTrainer.accuracy(net, points(500, yTest, 4), yTest) > 0.9);
        assertEquals(30 * 9, seen.size(), "9 full minibatches of 10 in 95 rows, 30 epochs");
        for (int k = 0; k < seen.size(); k++) {
            assertArrayEquals(new long[] {k + 1, 30 * 9}, seen.get(k));
        }
    }

    @Test
    void aBatchLargerThanTheDataIsRefused() {
        int[] y = new int[5];
        FloatMatrix x = points(5, y, 1);
        Sequential net = new Sequential(new Linear(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassifierTrainer.train(net, x, y, 1, 10, Sgd.constant(0.1, 0), 1));
        assertTrue(e.getMessage().contains("batch size"), e.getMessage());
    }
}
