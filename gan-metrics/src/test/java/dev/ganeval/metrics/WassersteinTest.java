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

class WassersteinTest {
    static final Reference REF = Reference.load("wasserstein");

    @Test
    void oneDimensionalMatchesScipy() {
        double[] u = REF.doubles("u");
        double[] v = REF.doubles("v");
        assertEquals(REF.scalar("w1_1d"), Wasserstein.oneDimensional(u, v), 1e-12);
        assertEquals(REF.scalar("w1_1d_weighted"),
                Wasserstein.oneDimensional(u, REF.doubles("u_weights"), v, REF.doubles("v_weights"), 1).distance(), 1e-12);
    }

    @Test
    void oneDimensionalClosedForms() {
        // Shifting a distribution by c moves it W_p = |c| for every p; point masses at 0 and 1: W1 = 1.
        double[] u = {0.3, -1.2, 2.5, 0.0};
        double[] v = {3.3, 1.8, 5.5, 3.0};
        assertEquals(3.0, Wasserstein.oneDimensional(u, v), 1e-12);
        assertEquals(3.0, Wasserstein.oneDimensional(u, null, v, null, 2).distance(), 1e-12);
        // Uniform on {0,1} vs point mass at 0.5: W1 = 0.5, W2 = 0.5.
        assertEquals(0.5, Wasserstein.oneDimensional(new double[] {0, 1}, new double[] {0.5}), 1e-15);
        assertEquals(0.5, Wasserstein.oneDimensional(new double[] {0, 1}, null, new double[] {0.5}, null, 2).distance(), 1e-15);
    }

    @Test
    void exactTransportMatchesPotsEmd2() {
        FloatMatrix xa = REF.matrix("xa");
        FloatMatrix xb = REF.matrix("xb");
        double[] wa = REF.doubles("wa");
        double[] wb = REF.doubles("wb");
        WassersteinResult w1 = Wasserstein.exact(xa, wa, xb, wb, 1);
        WassersteinResult w2 = Wasserstein.exact(xa, wa, xb, wb, 2);
        assertEquals(REF.scalar("emd_w1"), w1.cost(), 1e-9 * REF.scalar("emd_w1"));
        assertEquals(REF.scalar("emd_w2sq"), w2.cost(), 1e-9 * REF.scalar("emd_w2sq"));
        assertEquals(Math.sqrt(w2.cost()), w2.distance(), 1e-15);
        FloatMatrix ea = REF.matrix("ea");
        FloatMatrix eb = REF.matrix("eb");
        WassersteinResult h1 = Wasserstein.exact(ea, eb, 1);
        assertEquals("hungarian", h1.settings().get("algorithm"));
        assertEquals(REF.scalar("emd_equal_w1"), h1.cost(), 1e-9 * REF.scalar("emd_equal_w1"));
        assertEquals(REF.scalar("emd_equal_w2sq"), Wasserstein.exact(ea, eb, 2).cost(), 1e-9 * REF.scalar("emd_equal_w2sq"));
        // The general solver agrees with the assignment solver on the uniform case.
        double[] uniform = new double[ea.rows()];
        java.util.Arrays.fill(uniform, 1);
        assertEquals(h1.cost(), Wasserstein.exact(ea, uniform, eb, uniform, 1).cost(), 1e-12);
    }

    @Test
    void sinkhornMatchesPotAndIsBiasedAboveTheExactCost() {
        FloatMatrix xa = REF.matrix("xa");
        FloatMatrix xb = REF.matrix("xb");
        double[] wa = REF.doubles("wa");
        double[] wb = REF.doubles("wb");
        WassersteinResult s = Wasserstein.sinkhorn(xa, wa, xb, wb, 2, REF.scalar("sinkhorn_reg"), 100000, 1e-12);
        assertEquals(REF.scalar("sinkhorn_w2sq"), s.cost(), 1e-7 * REF.scalar("sinkhorn_w2sq"));
        assertTrue(s.cost() > Wasserstein.exact(xa, wa, xb, wb, 2).cost());
    }

    @Test
    void gaussianClosedFormIsTheFrechetDistance() {
        Reference fid = Reference.load("fid_small");
        WassersteinResult g = Wasserstein.gaussian(fid.matrix("x1"), fid.matrix("x2"));
        assertEquals(fid.scalar("fid"), g.cost(), 1e-6 * fid.scalar("fid"));
        assertEquals(Math.sqrt(g.cost()), g.distance(), 1e-15);
    }

    @Test
    void slicedIsSeededAndMatchesOneDimensionalInOneDimension() {
        Random rnd = new Random(8);
        FloatMatrix x = TestData.gaussian(rnd, 40, 1, 0);
        FloatMatrix y = TestData.gaussian(rnd, 55, 1, 1);
        double[] u = new double[40];
        double[] v = new double[55];
        for (int i = 0; i < 40; i++) {
            u[i] = x.get(i, 0);
        }
        for (int i = 0; i < 55; i++) {
            v[i] = y.get(i, 0);
        }
        // In 1-D every direction is ±1, and W_p does not care about the sign.
        assertEquals(Wasserstein.oneDimensional(u, v), Wasserstein.sliced(x, y, 1, 7, 3).distance(), 1e-6);
        FloatMatrix a = TestData.gaussian(rnd, 30, 5, 0);
        FloatMatrix b = TestData.gaussian(rnd, 35, 5, 0.5);
        assertEquals(Wasserstein.sliced(a, b, 2, 50, 11).distance(), Wasserstein.sliced(a, b, 2, 50, 11).distance(), 0.0);
        assertTrue(Wasserstein.sliced(a, b, 2, 50, 11).distance() <= Wasserstein.exact(a, b, 2).distance() + 1e-6,
                "sliced W2 never exceeds W2");
    }

    @Test
    void badInputsAreNamed() {
        FloatMatrix a = new FloatMatrix(3, 2);
        assertThrows(InvalidInputException.class, () -> Wasserstein.exact(a, a, 3));
        assertThrows(InvalidInputException.class, () -> Wasserstein.exact(a, new double[] {1, -1, 1}, a, null, 1));
        assertThrows(InvalidInputException.class, () -> Wasserstein.exact(a, new FloatMatrix(3, 3), 1));
        assertThrows(InvalidInputException.class, () -> Wasserstein.oneDimensional(new double[0], new double[] {1}));
        assertThrows(InvalidInputException.class, () -> Wasserstein.oneDimensional(new double[] {Double.NaN}, new double[] {1}));
        assertThrows(InvalidInputException.class, () -> Wasserstein.sinkhorn(a, null, a, null, 2, 0, 10, 1e-9));
    }

    @Property(tries = 200)
    void theAssignmentSolverFindsTheCheapestPermutation(@ForAll @IntRange(min = 1, max = 7) int n,
                                                        @ForAll @IntRange(min = 0, max = 99999) int seed) {
        // Small integer costs make many ties, the hard case for the greedy start; brute force over all n! matchings.
        java.util.Random r = new java.util.Random(seed);
        double[] c = new double[n * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = seed % 2 == 0 ? r.nextInt(4) : r.nextDouble() * 10;
        }
        assertEquals(bruteForce(c, n, 0, new boolean[n]), Wasserstein.hungarian(c, n), 1e-9);
    }

    @Property(tries = 60)
    void groundCostIsEveryPairsDistanceWhateverTheSizes(@ForAll @IntRange(min = 1, max = 7) int n,
                                                        @ForAll @IntRange(min = 1, max = 7) int m,
                                                        @ForAll @IntRange(min = 1, max = 9) int d,
                                                        @ForAll @IntRange(min = 1, max = 2) int p) {
        // Pairs are done two by two; odd n and m leave a last row and column done one pair at a time.
        Random r = new Random(n * 1000 + m * 100 + d * 10 + p);
        FloatMatrix x = new FloatMatrix(n, d);
        FloatMatrix y = new FloatMatrix(m, d);
        for (float[] a : new float[][] {x.data(), y.data()}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
        }
        double[] c = Wasserstein.groundCost(x, y, p);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sq = 0;
                for (int k = 0; k < d; k++) {
                    double e = (double) x.get(i, k) - y.get(j, k);
                    sq += e * e;
                }
                double want = p == 2 ? sq : Math.sqrt(sq);
                assertEquals(want, c[i * m + j], 1e-12 * Math.max(1, want), "pair " + i + ", " + j);
            }
        }
    }

    private static double bruteForce(double[] c, int n, int row, boolean[] taken) {
        if (row == n) {
            return 0;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (!taken[j]) {
                taken[j] = true;
                best = Math.min(best, c[row * n + j] + bruteForce(c, n, row + 1, taken));
                taken[j] = false;
            }
        }
        return best;
    }

    @Property(tries = 30)
    void exactWassersteinIsAMetric(@ForAll @IntRange(min = 1, max = 12) int n, @ForAll @IntRange(min = 1, max = 12) int m,
                                   @ForAll @IntRange(min = 1, max = 12) int k, @ForAll @IntRange(min = 0, max = 999) int seed,
                                   @ForAll @IntRange(min = 1, max = 2) int p) {
        Random rnd = new Random(seed);
        FloatMatrix x = TestData.gaussian(rnd, n, 3, 0);
        FloatMatrix y = TestData.gaussian(rnd, m, 3, 0.7);
        FloatMatrix z = TestData.gaussian(rnd, k, 3, -0.4);
        double xy = Wasserstein.exact(x, y, p).distance();
        double yx = Wasserstein.exact(y, x, p).distance();
        double xz = Wasserstein.exact(x, z, p).distance();
        double zy = Wasserstein.exact(z, y, p).distance();
        assertEquals(xy, yx, 1e-9 * (1 + xy), "symmetry");
        assertTrue(xy >= 0);
        assertEquals(0, Wasserstein.exact(x, x, p).distance(), 1e-6, "identity");
        assertTrue(xy <= xz + zy + 1e-9 * (1 + xy), "triangle inequality");
    }

    @Property(tries = 30)
    void oneDimensionalWassersteinIsAMetric(@ForAll @IntRange(min = 1, max = 30) int n, @ForAll @IntRange(min = 0, max = 999) int seed) {
        Random rnd = new Random(seed);
        double[] a = rnd.doubles(n).toArray();
        double[] b = rnd.doubles(n + 3).map(v -> v * 2).toArray();
        double[] c = rnd.doubles(n + 7).map(v -> v - 0.5).toArray();
        double ab = Wasserstein.oneDimensional(a, b);
        assertEquals(ab, Wasserstein.oneDimensional(b, a), 1e-12);
        assertEquals(0, Wasserstein.oneDimensional(a, a.clone()), 1e-15);
        assertTrue(ab <= Wasserstein.oneDimensional(a, c) + Wasserstein.oneDimensional(c, b) + 1e-12);
    }
}
