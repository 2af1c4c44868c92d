package dev.ganeval.core.linalg;

import jdk.incubator.vector.FloatVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs only where the Vector API is readable (the default test execution); ExpSumsTest covers both paths. */
class VectorExpKernelTest {
    private static final int LANES = VectorExpKernel.lanes();

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
            VectorExpKernel.exp(FloatVector.fromArray(VectorExpKernel.species(), t, 0)).intoArray(got, 0);
            for (int j = 0; j < LANES; j++) {
                assertEquals(Float.floatToRawIntBits(VectorExpKernel.exp(t[j])), Float.floatToRawIntBits(got[j]), "e^" + t[j]);
                double want = Math.exp(t[j]);
                worstUlps = Math.max(worstUlps, Math.abs(got[j] - want) / Math.ulp((float) want));
            }
        }
        assertTrue(worstUlps <= 2, "worst error " + worstUlps + " ulp");
    }

    @Property(tries = 50)
    void theSumIsTheSameBitsWhateverTheVectorWidth(@ForAll @IntRange(min = 1, max = 5000) int len,
                                                   @ForAll @IntRange(min = 0, max = 40) int off,
                                                   @ForAll @FloatRange(min = 0.001f, max = 50f) @Scale(4) float scale) {
        // ExpSums.Blocked has no vectors, so equal bits here mean equal bits on 8- and 16-lane machines, and without the
        // Vector API.
        SplittableRandom rnd = new SplittableRandom(len * 31L + off);
        float[] x = new float[off + len + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (10 + 90 * rnd.nextDouble());
        }
        float shift = 10;
        assertEquals(new ExpSums.Blocked().sum(x, off, len, shift, scale), new VectorExpKernel().sum(x, off, len, shift, scale));
    }

    @Test
    void argumentsOutsideTheRangeAreClampedNotWrapped() {
        assertEquals(VectorExpKernel.exp(-87f), VectorExpKernel.exp(-1000f));
        assertEquals(VectorExpKernel.exp(88f), VectorExpKernel.exp(1000f));
        assertTrue(VectorExpKernel.exp(-87f) > 0 && Float.isFinite(VectorExpKernel.exp(88f)));
        assertTrue(Float.isNaN(VectorExpKernel.exp(Float.NaN)));
    }
}
