package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs only where the Vector API is readable (the default test execution); ExpSumsTest covers both paths. */
class VectorExpKernelTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    @Test
    void theExponentialIsWithinTwoUlpOfMathExpAndEqualsItsScalarDefinitionBitForBit() {
        SplittableRandom rnd = new SplittableRandom(42);
        float[] t = new float[LANES];
        float[] got = new float[LANES];
        double worstUlps = 0;
        for (int round = 0; round < 200_000 / LANES; round++) {
            for (int j = 0; j < LANES; j++) {
                t[j] = (float) (-87 + 175 * rnd.nextDouble());
            }
            if (round == 0) {
                // The ends of the range, the reduction's switch points (t = (k + 1/2)·ln 2) and zero.
                float[] edges = {-87f, 88f, 0f, (float) (0.5 * Math.log(2)), (float) (-0.5 * Math.log(2)), (float) (-125.5 * Math.log(2))};
                System.arraycopy(edges, 0, t, 0, Math.min(edges.length, LANES));
            }
            VectorExpKernel.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, t, 0)).intoArray(got, 0);
            for (int j = 0; j < LANES; j++) {
                assertEquals(Float.floatToRawIntBits(VectorExpKernel.exp(t[j])), Float.floatToRawIntBits(got[j]), "e^" + t[j]);
                double want = Math.exp(t[j]);
                worstUlps = Math.max(worstUlps, Math.abs(got[j] - want) / Math.ulp((float) want));
            }
        }
        assertTrue(worstUlps <= 2, "worst error " + worstUlps + " ulp");
    }

    @Test
    void argumentsOutsideTheRangeAreClampedNotWrapped() {
        assertEquals(VectorExpKernel.exp(-87f), VectorExpKernel.exp(-1000f));
        assertEquals(VectorExpKernel.exp(88f), VectorExpKernel.exp(1000f));
        assertTrue(VectorExpKernel.exp(-87f) > 0 && Float.isFinite(VectorExpKernel.exp(88f)));
        assertTrue(Float.isNaN(VectorExpKernel.exp(Float.NaN)));
    }
}
