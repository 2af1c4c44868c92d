package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PivotedCholeskyTest {
    /** B·Bᵀ for a random n × k B: positive semi-definite of rank min(n, k), with unequal column scales. */
    static double[] gram(int n, int k, long seed) {
        Random rnd = new Random(seed);
        double[] b = new double[n * k];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian() * (1 + (i % k) * 0.3);
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += b[i * k + p] * b[j * k + p];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }

    /** max |A[perm[i]][perm[j]] − (L·Lᵀ)[i][j]| / max |A|, from the factor's definition, computed plainly. */
    static double reconstructionError(double[] a, int n, PivotedCholesky.Factor f) {
        double max = 0;
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += f.lower()[i * n + p] * f.lower()[j * n + p];
                }
                double want = a[f.perm()[i] * n + f.perm()[j]];
                max = Math.max(max, Math.abs(want));
                err = Math.max(err, Math.abs(want - s));
            }
        }
        return max == 0 ? err : err / max;
    }

    static void assertShape(PivotedCholesky.Factor f, int n) {
        int[] sorted = f.perm().clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i], "perm is a permutation");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (j > i || j >= f.rank()) {
                    assertEquals(0.0, f.lower()[i * n + j], "L(" + i + ", " + j + ") outside the trapezoid");
                }
            }
        }
        // Diagonal pivoting takes the largest remaining diagonal each step, so the pivots never grow.
        for (int j = 1; j < f.rank(); j++) {
            double prev = f.lower()[(j - 1) * n + j - 1];
            assertTrue(f.lower()[j * n + j] <= prev * (1 + 1e-12), "pivot " + j + " grew");
        }
    }

    @Test
    void fullRankAcrossSeveralPanelsIsAnExactFactor() {
        int n = 200;
        double[] a = gram(n, n + 20, 1);
        PivotedCholesky.Factor f = PivotedCholesky.of(a, n);
        assertEquals(n, f.rank());
        assertShape(f, n);
        assertTrue(reconstructionError(a, n, f) < 1e-13, "error " + reconstructionError(a, n, f));
    }

    @Test
    void aSingularMatrixStopsAtItsRank() {
        // Fewer samples than dimensions: the covariance of k points spans k dimensions.
        for (int k : new int[] {1, 63, 64, 65, 130}) {
            int n = 180;
            double[] a = gram(n, k, k);
            PivotedCholesky.Factor f = PivotedCholesky.of(a, n);
            assertEquals(k, f.rank(), "rank of a " + n + "x" + n + " Gram matrix of " + k + " columns");
            assertShape(f, n);
            assertTrue(reconstructionError(a, n, f) < 1e-12, k + ": error " + reconstructionError(a, n, f));
        }
    }

    @Property(tries = 30)
    void everyPsdMatrixIsReconstructed(@ForAll @IntRange(min = 1, max = 140) int n,
                                       @ForAll @IntRange(min = 0, max = 160) int k,
                                       @ForAll @IntRange(min = 0, max = 1000) int seed) {
        double[] a = gram(n, k, seed);
        PivotedCholesky.Factor f = PivotedCholesky.of(a, n);
        if (k == n) {
            // A square Gaussian factor's smallest singular value has a tail down to 0 (P(σ_min < x/√n) ≈ x), so the last
            // pivot can fall below the rank cut-off n·ulp(1)·max diag: one rank less is then the numerical rank.
            assertTrue(f.rank() == n || f.rank() == n - 1, "rank " + f.rank() + " of " + n);
        } else {
            assertEquals(Math.min(n, k), f.rank());
        }
        assertShape(f, n);
        assertTrue(reconstructionError(a, n, f) < 1e-12, "error " + reconstructionError(a, n, f));
    }

    @Test
    void aDeadFeatureIsPivotedToTheEnd() {
        // A zero row and column (a feature that never varies) between live ones.
        int n = 5;
        double[] live = gram(4, 6, 9);
        double[] a = new double[n * n];
        int[] map = {0, 1, 3, 4};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                a[map[i] * n + map[j]] = live[i * 4 + j];
            }
        }
        PivotedCholesky.Factor f = PivotedCholesky.of(a, n);
        assertEquals(4, f.rank());
        assertEquals(2, f.perm()[4], "the dead feature is left out");
        assertTrue(reconstructionError(a, n, f) < 1e-13);
    }

    @Test
    void onlyTheLowerTriangleIsReadAndTheInputIsKept() {
        int n = 90;
        double[] a = gram(n, 40, 3);
        double[] messy = a.clone();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                messy[i * n + j] = 1e9 * (i - j);
            }
        }
        double[] before = messy.clone();
        PivotedCholesky.Factor clean = PivotedCholesky.of(a, n);
        PivotedCholesky.Factor f = PivotedCholesky.of(messy, n);
        assertArrayEquals(before, messy, 0.0);
        assertArrayEquals(clean.lower(), f.lower(), 0.0);
        assertArrayEquals(clean.perm(), f.perm());
    }

    @Test
    void zeroHasRankZeroAndNonFiniteInputIsNamed() {
        PivotedCholesky.Factor f = PivotedCholesky.of(new double[16], 4);
        assertEquals(0, f.rank());
        assertArrayEquals(new double[16], f.lower(), 0.0);
        double[] a = gram(4, 4, 5);
        a[2 * 4 + 1] = Double.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PivotedCholesky.of(a, 4));
        assertTrue(e.getMessage().contains("(2, 1)") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PivotedCholesky.of(new double[5], 2));
    }

    @Test
    void theSameBitsOnOneThreadAndOnSeveral() {
        int n = 300;
        double[] a = gram(n, 250, 8);
        PivotedCholesky.Factor one;
        PivotedCholesky.Factor three;
        try {
            ComputeThreads.set(1);
            one = PivotedCholesky.of(a, n);
            ComputeThreads.set(3);
            three = PivotedCholesky.of(a, n);
        } finally {
            ComputeThreads.reset();
        }
        assertArrayEquals(one.lower(), three.lower(), 0.0);
        assertArrayEquals(one.perm(), three.perm());
    }
}
