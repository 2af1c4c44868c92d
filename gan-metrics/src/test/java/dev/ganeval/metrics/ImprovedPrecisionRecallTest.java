package dev.ganeval.metrics;

import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ImprovedPrecisionRecallTest {
    @Test
    void matchesStyleGansDefinitionComputedWithNumpy() {
        Reference ref = Reference.load("cmmd_pr");
        ImprovedPrecisionRecall.Result r = ImprovedPrecisionRecall.create().compute(ref.matrix("real"), ref.matrix("fake"));
        assertEquals(ref.scalar("precision"), r.precision(), 1e-12);
        assertEquals(ref.scalar("recall"), r.recall(), 1e-12);
    }

    @Test
    void pointsOnABallsBoundaryAreInsideAsInStyleGansCode() {
        Reference ref = Reference.load("cmmd_pr");
        FloatMatrix real = ref.matrix("grid_real");
        FloatMatrix fake = ref.matrix("grid_fake");
        ImprovedPrecisionRecall.Result r = ImprovedPrecisionRecall.create().compute(real, fake);
        assertEquals(ref.scalar("grid_precision"), r.precision(), 1e-12);
        assertEquals(ref.scalar("grid_recall"), r.recall(), 1e-12);
        // prdc leaves the boundary out, and on these repeated grid points that changes the answer.
        PrdcResult strict = PrecisionRecall.of(3, 3).compute(real, fake);
        assertNotEquals(r.precision(), strict.precision());
    }
}
