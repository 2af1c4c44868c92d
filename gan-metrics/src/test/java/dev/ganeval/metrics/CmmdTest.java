package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CmmdTest {
    @Test
    void matchesNumpyOnNormalisedEmbeddings() {
        Reference ref = Reference.load("cmmd_pr");
        FloatMatrix real = ref.matrix("real");
        FloatMatrix fake = ref.matrix("fake");
        double expected = ref.scalar("cmmd");
        assertEquals(expected, Cmmd.create().compute(real, fake).value(), 1e-6 * expected);
        double other = ref.scalar("cmmd_sigma3_scale1");
        assertEquals(other, Cmmd.of(3, 1).compute(real, fake).value(), 1e-6 * other);
        // The biased estimator of a set against itself is 0 up to rounding (numpy's own rounding shows here).
        assertEquals(ref.scalar("cmmd_same"), Cmmd.create().compute(real, real.copy()).value(), 1e-9);
    }

    @Test
    void theKernelsSeriesIsExpm1ToTheLastDigits() {
        for (double t = 0; t < 3; t += 0.0037) {
            double expected = Math.expm1(-t);
            assertEquals(expected, Cmmd.expm1Neg(t), 2e-15 * Math.abs(expected), "t = " + t);
        }
        assertEquals(Math.expm1(-1e-300), Cmmd.expm1Neg(1e-300));
    }

    static FloatMatrix cloud(long seed, int n, int d, double shift) {
        Random r = new Random(seed);
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) (r.nextGaussian() * 3 + shift);
        }
        return x;
    }

    @Property(tries = 30)
    void symmetricNonNegativeAndZeroOnItself(@ForAll @IntRange(min = 2, max = 60) int n, @ForAll @IntRange(min = 2, max = 40) int m,
                                            @ForAll @IntRange(min = 1, max = 12) int d, @ForAll long seed) {
        FloatMatrix x = cloud(seed, n, d, 0);
        FloatMatrix y = cloud(seed + 1, m, d, 1);
        double xy = Cmmd.create().compute(x, y).value();
        double yx = Cmmd.create().compute(y, x).value();
        assertEquals(xy, yx, 1e-9 * Math.abs(xy) + 1e-12);
        // A V-statistic with a positive-definite kernel: the squared norm of the mean embeddings' difference.
        assertTrue(xy > -1e-9, "negative CMMD " + xy);
        assertEquals(0, Cmmd.create().compute(x, x.copy()).value(), 1e-9);
    }

    @Test
    void badSettingsAndInputsAreRefusedByName() {
        assertThrows(InvalidInputException.class, () -> Cmmd.of(0, 1000));
        assertThrows(InvalidInputException.class, () -> Cmmd.of(10, Double.NaN));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Cmmd.create().compute(cloud(1, 5, 3, 0), cloud(2, 5, 4, 0)));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
    }
}
