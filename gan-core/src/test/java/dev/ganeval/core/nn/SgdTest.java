package dev.ganeval.core.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SgdTest {
    private static String refused(Runnable make) {
        return assertThrows(IllegalArgumentException.class, make::run).getMessage();
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertEquals("the learning rate must be positive and finite, got -1.0", refused(() -> new Sgd(-1, 1, 0, 0.5, 0.5, 0, 0)));
        assertEquals("the learning rate must be positive and finite, got NaN", refused(() -> Sgd.constant(Double.NaN, 0.5)));
        assertEquals("the learning rate must be positive and finite, got Infinity",
                refused(() -> Sgd.constant(Double.POSITIVE_INFINITY, 0.5)));
        assertEquals("the learning-rate decay must be finite and >= 1 (1: constant), got 0.5",
                refused(() -> new Sgd(0.1, 0.5, 0, 0.5, 0.5, 0, 0)));
        assertEquals("the learning-rate floor must be >= 0, got -1.0E-6", refused(() -> new Sgd(0.1, 1, -1e-6, 0.5, 0.5, 0, 0)));
        assertEquals("momentum must be in [0, 1), got 1.0", refused(() -> Sgd.constant(0.1, 1)));
        assertEquals("momentum must be in [0, 1), got 0.5 -> 1.2", refused(() -> new Sgd(0.1, 1, 0, 0.5, 1.2, 0, 10)));
        assertEquals("the momentum ramp ends before it starts: epochs 5 to 2", refused(() -> new Sgd(0.1, 1, 0, 0.5, 0.7, 5, 2)));
    }

    @Test
    void theMomentumRampsLinearlyBetweenItsEpochs() {
        Sgd sgd = new Sgd(0.1, 1.000004, 1e-6, 0.5, 0.7, 0, 249);
        assertEquals(0.5, sgd.momentum(0), 1e-15);
        assertEquals(0.5 + 0.2 * 100 / 249.0, sgd.momentum(100), 1e-12);
        assertEquals(0.7, sgd.momentum(249), 1e-15);
        assertEquals(0.7, sgd.momentum(2000), 1e-15);
        // The paper's decay: 0.1 / 1.000004^n, never below the floor.
        sgd.restoreUpdates(500);
        assertEquals(0.1 / Math.pow(1.000004, 500), sgd.learningRate(), 1e-15);
        sgd.restoreUpdates(10_000_000);
        assertEquals(1e-6, sgd.learningRate(), 0.0);
    }
}
