package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelInceptionDistanceTest {
    @Test
    void wholeSetSubsetMatchesNumpysUnbiasedMmd() {
        Reference ref = Reference.load("kid");
        FloatMatrix x = ref.matrix("x");
        FloatMatrix y = ref.matrix("y");
        // Subsets of all 120 rows: every subset is the whole real set (in some order); the fake side draws 120 of 150.
        // With equal sets the estimate is the numpy value exactly; use the smaller set on both sides.
        FloatMatrix y120 = y.rowRange(0, 120);
        KidResult r = KernelInceptionDistance.builder().subsets(3).subsetSize(120).build().compute(x, y120);
        double want = mmd2(x, y120);
        assertEquals(want, r.value(), 1e-6 * Math.abs(want) + 1e-9);
        assertEquals(0, r.std(), 1e-6 * Math.abs(want) + 1e-9, "every subset is the whole set");
        // And the numpy reference over the two full sets (m = 120, n = 150), via the same formula.
        assertEquals(ref.scalar("mmd2"), mmd2Unequal(x, y), 1e-6 * Math.abs(ref.scalar("mmd2")));
    }

    /** The unbiased estimate written out in float64 for equal sizes: the oracle. */
    static double mmd2(FloatMatrix x, FloatMatrix y) {
        return mmd2Unequal(x, y);
    }

    static double mmd2Unequal(FloatMatrix x, FloatMatrix y) {
        int m = x.rows();
        int n = y.rows();
        int d = x.cols();
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    kxx += k(x, i, x, j, d);
                }
            }
            for (int j = 0; j < n; j++) {
                kxy += k(x, i, y, j, d);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    kyy += k(y, i, y, j, d);
                }
            }
        }
        return kxx / (m * (m - 1.0)) + kyy / (n * (n - 1.0)) - 2 * kxy / ((double) m * n);
    }

    static double k(FloatMatrix a, int i, FloatMatrix b, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            s += (double) a.get(i, t) * b.get(j, t);
        }
        double v = s / d + 1;
        return v * v * v;
    }

    @Test
    void sameDistributionGivesNearZeroAndIsUnbiasedOverSeeds() {
        // Two independent draws from one distribution: MMD² = 0 in expectation; the mean over seeds must be
        // within a few standard errors of 0, while a shifted distribution is clearly positive.
        Random rnd = new Random(5);
        double sum = 0;
        double sumSq = 0;
        int seeds = 30;
        for (int s = 0; s < seeds; s++) {
            FloatMatrix a = TestData.gaussian(rnd, 200, 8, 0);
            FloatMatrix b = TestData.gaussian(rnd, 200, 8, 0);
            double v = KernelInceptionDistance.builder().subsets(5).subsetSize(100).seed(s).build().compute(a, b).value();
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / seeds;
        double se = Math.sqrt((sumSq / seeds - mean * mean) / seeds);
        assertTrue(Math.abs(mean) < 4 * se + 1e-6, "mean " + mean + " se " + se);
        double shifted = KernelInceptionDistance.builder().subsets(5).subsetSize(100).build()
                .compute(TestData.gaussian(rnd, 200, 8, 0), TestData.gaussian(rnd, 200, 8, 1)).value();
        assertTrue(shifted > 20 * se, "shifted " + shifted);
    }

    @Test
    void tooFewRowsFailUnlessShrinkingIsAllowed() {
        Random rnd = new Random(1);
        FloatMatrix a = TestData.gaussian(rnd, 50, 4, 0);
        FloatMatrix b = TestData.gaussian(rnd, 80, 4, 0);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> KernelInceptionDistance.create().compute(a, b));
        assertTrue(e.getMessage().contains("at least 1000 rows"), e.getMessage());
        KidResult r = KernelInceptionDistance.builder().allowShrink().subsets(2).build().compute(a, b);
        assertEquals(50, r.subsetSize());
        assertThrows(InvalidInputException.class, () -> KernelInceptionDistance.create().compute(a, TestData.gaussian(rnd, 80, 5, 0)));
    }

    @Test
    void seedMakesItReproducible() {
        Random rnd = new Random(2);
        FloatMatrix a = TestData.gaussian(rnd, 300, 6, 0);
        FloatMatrix b = TestData.gaussian(rnd, 300, 6, 0.2);
        KernelInceptionDistance kid = KernelInceptionDistance.builder().subsets(10).subsetSize(100).seed(42).build();
        assertEquals(kid.compute(a, b).value(), kid.compute(a, b).value(), 0.0);
    }
}
