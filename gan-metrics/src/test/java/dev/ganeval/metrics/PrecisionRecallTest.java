package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PrecisionRecallTest {
    @Test
    void matchesTheScikitLearnNeighbourReference() {
        Reference ref = Reference.load("prdc");
        PrdcResult r = PrecisionRecall.create().compute(ref.matrix("real"), ref.matrix("fake"));
        assertEquals(ref.scalar("precision"), r.precision(), 1e-12);
        assertEquals(ref.scalar("recall"), r.recall(), 1e-12);
        assertEquals(ref.scalar("density"), r.density(), 1e-12);
        assertEquals(ref.scalar("coverage"), r.coverage(), 1e-12);
    }

    @Test
    void identicalSetsArePerfect() {
        Random rnd = new Random(3);
        FloatMatrix x = new FloatMatrix(100, 5);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) rnd.nextGaussian();
        }
        PrdcResult r = PrecisionRecall.create().compute(x, x.copy());
        assertEquals(1.0, r.precision());
        assertEquals(1.0, r.recall());
        assertEquals(1.0, r.coverage());
    }

    @Test
    void disjointSetsScoreZero() {
        FloatMatrix a = new FloatMatrix(20, 2);
        FloatMatrix b = new FloatMatrix(20, 2);
        for (int i = 0; i < 20; i++) {
            a.set(i, 0, i * 0.01f);
            b.set(i, 0, 100 + i * 0.01f);
        }
        PrdcResult r = PrecisionRecall.create().compute(a, b);
        assertEquals(0.0, r.precision());
        assertEquals(0.0, r.recall());
        assertEquals(0.0, r.density());
        assertEquals(0.0, r.coverage());
    }

    @Test
    void tooFewRowsForKAreAnError() {
        assertThrows(InvalidInputException.class, () -> PrecisionRecall.create().compute(new FloatMatrix(5, 2), new FloatMatrix(10, 2)));
        assertThrows(InvalidInputException.class, () -> PrecisionRecall.of(0, 5));
    }
}
