package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two-stage reduction against matrices with known eigenvalues and against the one-stage reduction. */
class BandReductionTest {
    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Property(tries = 40)
    void bandThenChaseLeavesATridiagonalMatrixWithTheSameEigenvalues(@ForAll @IntRange(min = 1, max = 140) int n,
                                                                     @ForAll @IntRange(min = 1, max = 40) int b,
                                                                     @ForAll @IntRange(min = 0, max = 999) int seed) {
        double[] a = random(n, seed);
        double[] work = a.clone();
        BandReduction.toBand(work, n, b);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i - b; j++) {
                assertEquals(0.0, work[i * n + j], 0.0, "stage 1 left (" + i + "," + j + ") outside the band");
            }
        }
        double[] band = BandReduction.compactBand(work, n, b);
        BandReduction.chase(band, n, b);
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(0, i - 2 * b); j < i - 1; j++) {
                assertEquals(0.0, band[(i + 1) * BandReduction.bandStride(b) + j], 0.0, "stage 2 left (" + i + "," + j + ") below the sub-diagonal");
            }
        }
        double[] d = new double[n];
        double[] e = new double[n];
        BandReduction.bandToTridiagonal(work, n, b, d, e);
        double[] d1 = new double[n];
        double[] e1 = new double[n];
        SymmetricEigenvalues.tridiagonalize(a.clone(), n, d1, e1);
        SymmetricEigenvalues.ql(d, e, n);
        SymmetricEigenvalues.ql(d1, e1, n);
        Arrays.sort(d);
        Arrays.sort(d1);
        assertArrayEquals(d1, d, 1e-12 * n * maxAbs(a));
    }

    @Test
    void largeMatricesTakeTheTwoStagePathAndRecoverKnownEigenvalues() {
        int n = SymmetricEigenvalues.TWO_STAGE_MIN + 37;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 60 ? 0 : Math.pow(1.01, i); // PSD, a 60-dimensional null space, a spread of scales
        }
        double[] got = SymmetricEigenvalues.of(SymmetricEigenvaluesTest.withEigenvalues(lambda, 11), n);
        assertArrayEquals(lambda, got, 1e-11 * n * lambda[n - 1]);
    }

    @Test
    void theTwoStagePathAgreesWithTheOneStagePathOnACovariance() {
        int n = 600;
        Random r = new Random(5);
        double[] x = new double[2000 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.abs(r.nextGaussian()) * (1 + i % n * 0.01);
        }
        double[] cov = new double[n * n];
        DoubleGemm.defaultGemm().gemm(Gemm.Transpose.TRANSPOSE, Gemm.Transpose.NONE, n, n, 2000, 1.0 / 2000, x, 0, n, x, 0, n, 0,
                cov, 0, n);
        double[] two = SymmetricEigenvalues.of(cov, n);
        double[] d = new double[n];
        double[] e = new double[n];
        SymmetricEigenvalues.tridiagonalize(cov.clone(), n, d, e);
        SymmetricEigenvalues.ql(d, e, n);
        Arrays.sort(d);
        assertArrayEquals(d, two, 1e-12 * n * two[n - 1]);
    }

    @Test
    void skinnyProductsMatchTheNaiveOnesOnEveryKernel() {
        Random r = new Random(9);
        int lda = 53;
        double[] a = r.doubles(lda * 41, -1, 1).toArray();
        for (DoubleDots.Kernel k : new DoubleDots.Kernel[] {DoubleDots.KERNEL, new DoubleDots.Fused(), new DoubleDots.Plain()}) {
            for (int nb : new int[] {DoubleDots.skinnyWidth(), 3, 8}) {
                for (int rows : new int[] {1, 2, 7, 40}) {
                    int cols = 29;
                    double[] y = r.doubles(41 * nb, -1, 1).toArray();
                    double[] x = r.doubles(41 * nb, -1, 1).toArray();
                    double[] want = x.clone();
                    double[] got = x.clone();
                    // x[i] += Σ_c a[i][c]·y[c]
                    for (int i = 0; i < rows; i++) {
                        for (int c = 0; c < cols; c++) {
                            for (int j = 0; j < nb; j++) {
                                want[nb + i * nb + j] += a[2 + i * lda + c] * y[c * nb + j];
                            }
                        }
                    }
                    k.rowsTimes(a, 2, lda, rows, cols, y, 0, got, nb, nb);
                    assertArrayEquals(want, got, 1e-12, k.getClass().getSimpleName() + " rowsTimes nb=" + nb + " rows=" + rows);
                    // x[c] += Σ_r a[r][c]·y[r]
                    want = x.clone();
                    got = x.clone();
                    for (int i = 0; i < rows; i++) {
                        for (int c = 0; c < cols; c++) {
                            for (int j = 0; j < nb; j++) {
                                want[c * nb + j] += a[1 + i * lda + c] * y[nb + i * nb + j];
                            }
                        }
                    }
                    k.transposedTimes(a, 1, lda, rows, cols, y, nb, got, 0, nb);
                    assertArrayEquals(want, got, 1e-12, k.getClass().getSimpleName() + " transposedTimes nb=" + nb + " rows=" + rows);
                }
            }
        }
    }

    @Test
    void reflectorKernelsMatchTheDenseProductsOnEveryKernel() {
        Random r = new Random(17);
        int lda = 45;
        for (DoubleDots.Kernel k : new DoubleDots.Kernel[] {DoubleDots.KERNEL, new DoubleDots.Fused(), new DoubleDots.Plain()}) {
            for (int rows : new int[] {1, 5, 8, 32}) {
                for (int cols : new int[] {1, 7, 16, 31, 32}) {
                    String what = k.getClass().getSimpleName() + " " + rows + "x" + cols;
                    double[] a = r.doubles(lda * 40, -1, 1).toArray();
                    int off = 3;
                    // (I − τ·u·uᵀ)·A with u over the rows
                    double[] u = r.doubles(rows, -1, 1).toArray();
                    double tau = 0.7;
                    double[] want = a.clone();
                    for (int c = 0; c < cols; c++) {
                        double s = 0;
                        for (int i = 0; i < rows; i++) {
                            s += u[i] * a[off + i * lda + c];
                        }
                        for (int i = 0; i < rows; i++) {
                            want[off + i * lda + c] -= tau * u[i] * s;
                        }
                    }
                    double[] got = a.clone();
                    k.reflectRows(got, off, lda, rows, cols, u, tau, new double[cols]);
                    assertArrayEquals(want, got, 1e-13, what + " reflectRows");
                    // A·(I − τ·v·vᵀ) with v over the columns
                    double[] v = r.doubles(cols, -1, 1).toArray();
                    want = a.clone();
                    for (int i = 0; i < rows; i++) {
                        double s = 0;
                        for (int c = 0; c < cols; c++) {
                            s += a[off + i * lda + c] * v[c];
                        }
                        for (int c = 0; c < cols; c++) {
                            want[off + i * lda + c] -= tau * s * v[c];
                        }
                    }
                    got = a.clone();
                    k.reflectColumns(got, off, lda, rows, cols, v, tau);
                    assertArrayEquals(want, got, 1e-13, what + " reflectColumns");
                    // a −= α·x + β·y
                    double[] x = r.doubles(cols, -1, 1).toArray();
                    double[] y = r.doubles(cols, -1, 1).toArray();
                    want = a.clone();
                    for (int c = 0; c < cols; c++) {
                        want[off + c] -= 0.3 * x[c] + -1.1 * y[c];
                    }
                    got = a.clone();
                    k.subtractTwo(got, off, cols, 0.3, x, -1.1, y);
                    assertArrayEquals(want, got, 1e-14, what + " subtractTwo");
                    // y += α·x within one array, as the Cholesky panel solve uses it
                    want = a.clone();
                    for (int c = 0; c < cols; c++) {
                        want[off + lda + c] += -0.6 * a[off + c];
                    }
                    got = a.clone();
                    k.axpy(-0.6, got, off, got, off + lda, cols);
                    assertArrayEquals(want, got, 1e-14, what + " axpy");
                }
            }
        }
    }
}
