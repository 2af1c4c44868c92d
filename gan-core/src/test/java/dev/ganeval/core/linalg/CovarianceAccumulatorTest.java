package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CovarianceAccumulatorTest {

    /** Textbook two-pass mean and unbiased covariance in float64: the oracle. */
    static double[][] twoPass(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.get(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] cov = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a * d + b] += (x.get(i, a) - mean[a]) * (x.get(i, b) - mean[b]);
                }
            }
        }
        for (int k = 0; k < cov.length; k++) {
            cov[k] /= (n - 1);
        }
        return new double[][] {mean, cov};
    }

    static FloatMatrix gaussianRows(Random rnd, int n, int d, double offset) {
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < n * d; i++) {
            x.data()[i] = (float) (offset + rnd.nextGaussian() * (1 + i % d));
        }
        return x;
    }

    static void assertClose(double[] want, double[] got, double rel) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], rel * scale, "element " + i);
        }
    }

    @Test
    void matchesTwoPassOnOneBatch() {
        FloatMatrix x = gaussianRows(new Random(1), 1500, 13, 0);
        CovarianceAccumulator acc = new CovarianceAccumulator(13);
        acc.add(x);
        double[][] ref = twoPass(x);
        assertEquals(1500, acc.count());
        assertClose(ref[0], acc.mean(), 1e-12);
        assertClose(ref[1], acc.covariance(), 1e-12);
    }

    @Test
    void staysAccurateWhenTheMeanDwarfsTheSpread() {
        // Values around 1e4 with unit spread: one-pass float32 Σxxᵀ − nμμᵀ would lose every digit here.
        FloatMatrix x = gaussianRows(new Random(2), 3000, 6, 1e4);
        CovarianceAccumulator acc = new CovarianceAccumulator(6);
        acc.add(x);
        assertClose(twoPass(x)[1], acc.covariance(), 1e-9);
        // The same in ten batches: each batch's scatter is added onto the running one, then the δδᵀ correction.
        CovarianceAccumulator batched = new CovarianceAccumulator(6);
        for (int r = 0; r < 3000; r += 300) {
            batched.add(x.rowRange(r, r + 300));
        }
        assertClose(twoPass(x)[1], batched.covariance(), 1e-9);
    }

    @Test
    void mergingShardsEqualsAddingEverything() {
        FloatMatrix x = gaussianRows(new Random(3), 2000, 9, 3);
        CovarianceAccumulator all = new CovarianceAccumulator(9);
        all.add(x);
        CovarianceAccumulator left = new CovarianceAccumulator(9);
        CovarianceAccumulator right = new CovarianceAccumulator(9);
        left.add(x.rowRange(0, 700));
        right.add(x.rowRange(700, 2000));
        left.merge(right);
        assertEquals(2000, left.count());
        assertClose(all.mean(), left.mean(), 1e-13);
        assertClose(all.covariance(), left.covariance(), 1e-12);
    }

    @Test
    void resultIsSymmetricAndThreadCountIndependent() {
        FloatMatrix x = gaussianRows(new Random(4), 700, 130, 1);
        CovarianceAccumulator one = new CovarianceAccumulator(130, 1);
        CovarianceAccumulator two = new CovarianceAccumulator(130, 2);
        one.add(x);
        two.add(x);
        double[] c1 = one.covariance();
        double[] c2 = two.covariance();
        for (int i = 0; i < 130; i++) {
            for (int j = 0; j < 130; j++) {
                assertEquals(c1[i * 130 + j], c1[j * 130 + i], 0.0);
                assertEquals(c1[i * 130 + j], c2[i * 130 + j], 0.0);
            }
        }
        assertClose(twoPass(x)[1], c1, 1e-12);
    }

    @Test
    void tooFewRowsAndWrongWidthsAreErrors() {
        CovarianceAccumulator acc = new CovarianceAccumulator(3);
        acc.add(new FloatMatrix(1, 3));
        assertThrows(IllegalStateException.class, acc::covariance);
        assertThrows(IllegalArgumentException.class, () -> acc.add(new FloatMatrix(2, 4)));
        assertThrows(IllegalArgumentException.class, () -> acc.merge(new CovarianceAccumulator(4)));
        assertThrows(IllegalArgumentException.class, () -> new CovarianceAccumulator(0));
    }

    @Property(tries = 40)
    void anySplitIntoBatchesGivesTheSameStatistics(@ForAll @IntRange(min = 2, max = 400) int n,
                                                   @ForAll @IntRange(min = 1, max = 12) int d,
                                                   @ForAll @IntRange(min = 1, max = 399) int cut) {
        FloatMatrix x = gaussianRows(new Random(n * 13L + d), n, d, 50);
        int c = Math.min(cut, n - 1);
        CovarianceAccumulator whole = new CovarianceAccumulator(d);
        whole.add(x);
        CovarianceAccumulator parts = new CovarianceAccumulator(d);
        parts.add(x.rowRange(0, c));
        parts.add(x.rowRange(c, n));
        assertClose(whole.mean(), parts.mean(), 1e-12);
        assertClose(whole.covariance(), parts.covariance(), 1e-10);
    }
}
