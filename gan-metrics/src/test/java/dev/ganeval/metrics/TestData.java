package dev.ganeval.metrics;

import dev.ganeval.core.linalg.FloatMatrix;

import java.util.Random;

/** Random feature matrices for the tests. */
final class TestData {
    private TestData() {}

    /** {@code n × d} standard normal values plus {@code shift}. */
    static FloatMatrix gaussian(Random rnd, int n, int d, double shift) {
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) (rnd.nextGaussian() + shift);
        }
        return x;
    }
}
