package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SymmetricEigenvaluesTest {
    /** Q·diag(λ)·Qᵀ with Q from Gram–Schmidt on random vectors: a symmetric matrix with known eigenvalues. */
    static double[] withEigenvalues(double[] lambda, long seed) {
        int n = lambda.length;
        Random rnd = new Random(seed);
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                q[i][k] = rnd.nextGaussian();
            }
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += q[i][k] * q[j][k];
                }
                for (int k = 0; k < n; k++) {
                    q[i][k] -= dot * q[j][k];
                }
            }
            double norm = 0;
            for (int k = 0; k < n; k++) {
                norm += q[i][k] * q[i][k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < n; k++) {
                q[i][k] /= norm;
            }
        }
        double[] a = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[k][r] * lambda[k] * q[k][c];
                }
                a[r * n + c] = s;
            }
        }
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < r; c++) {
                a[r * n + c] = a[c * n + r];
            }
        }
        return a;
    }

    @Property(tries = 40)
    void recoversKnownEigenvalues(@ForAll @IntRange(min = 1, max = 150) int n, @ForAll @IntRange(min = 0, max = 999) int seed) {
        Random rnd = new Random(seed);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = rnd.nextGaussian() * 10;
        }
        if (n > 3) {
            lambda[1] = lambda[0]; // a repeated eigenvalue
        }
        double[] got = SymmetricEigenvalues.of(withEigenvalues(lambda, seed), n);
        double[] want = lambda.clone();
        Arrays.sort(want);
        double scale = Arrays.stream(want).map(Math::abs).max().orElse(1);
        assertArrayEquals(want, got, 1e-11 * n * scale);
    }

    @Test
    void blockedReductionAcrossSeveralPanels() {
        int n = 203; // several 32-column panels and a ragged last one
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 50 ? 0 : i * 0.37; // PSD with a 50-dimensional null space, like a rank-deficient covariance
        }
        double[] got = SymmetricEigenvalues.of(withEigenvalues(lambda, 7), n);
        assertArrayEquals(lambda, got, 1e-10 * n * lambda[n - 1]);
    }

    @Test
    void diagonalAndTinyCases() {
        assertArrayEquals(new double[] {-1, 2, 5}, SymmetricEigenvalues.of(new double[] {5, 0, 0, 0, -1, 0, 0, 0, 2}, 3), 0.0);
        assertArrayEquals(new double[] {1, 3}, SymmetricEigenvalues.of(new double[] {2, 1, 1, 2}, 2), 1e-15);
        assertEquals(0, SymmetricEigenvalues.of(new double[0], 0).length);
    }

    @Test
    void rankDeficientAndTinyMatricesConverge() {
        // Rank one: v·vᵀ has one eigenvalue ‖v‖² and n−1 zeros; the zeros must deflate, not stall the QL.
        int n = 300;
        double[] v = new Random(3).doubles(n, -1e-3, 1e-3).toArray();
        double[] a = new double[n * n];
        double norm2 = 0;
        for (int i = 0; i < n; i++) {
            norm2 += v[i] * v[i];
            for (int j = 0; j < n; j++) {
                a[i * n + j] = v[i] * v[j];
            }
        }
        double[] ev = SymmetricEigenvalues.of(a, n);
        assertEquals(norm2, ev[n - 1], 1e-12 * norm2);
        for (int i = 0; i < n - 1; i++) {
            assertEquals(0.0, ev[i], 1e-12 * norm2);
        }
        double[] tiny = new double[n * n];
        for (int i = 0; i < n; i++) {
            tiny[i * n + i] = 1e-300 * (i % 3);
            if (i > 0) {
                tiny[i * n + i - 1] = 1e-301;
                tiny[(i - 1) * n + i] = 1e-301;
            }
        }
        assertEquals(n, SymmetricEigenvalues.of(tiny, n).length);
        assertArrayEquals(new double[n], SymmetricEigenvalues.of(new double[n * n], n), 0.0);
    }

    @Property(tries = 30)
    void choleskyReproducesTheMatrix(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = 0, max = 999) int seed) {
        Random rnd = new Random(seed);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 0.1 + rnd.nextDouble() * 5;
        }
        double[] a = withEigenvalues(lambda, seed);
        double[] l = Cholesky.lower(a, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += l[i * n + k] * l[j * n + k];
                }
                assertEquals(a[i * n + j], s, 1e-11 * n * 5, "(" + i + "," + j + ")");
                if (j > i) {
                    assertEquals(0.0, l[i * n + j]);
                }
            }
        }
    }

    @Test
    void choleskyOfALargeMatrixSplitsItsPanelsOverThreadsAndStillReproducesIt() {
        int n = 601; // panels below the first blocks are taller than 256 rows and not a whole number of vectors
        Random rnd = new Random(5);
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 1e-3 + rnd.nextDouble() * 5;
        }
        double[] a = withEigenvalues(lambda, 5);
        double[] l = Cholesky.lower(a, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k <= j; k++) {
                    s += l[i * n + k] * l[j * n + k];
                }
                worst = Math.max(worst, Math.abs(a[i * n + j] - s));
            }
        }
        assertEquals(0.0, worst, 1e-12 * n * 5);
    }

    @Test
    void choleskyRejectsIndefiniteAndSingularMatrices() {
        assertNull(Cholesky.lower(new double[] {1, 2, 2, 1}, 2));
        assertNull(Cholesky.lower(new double[] {1, 1, 1, 1}, 2));
        assertNull(Cholesky.lower(new double[] {Double.NaN}, 1));
    }
}
