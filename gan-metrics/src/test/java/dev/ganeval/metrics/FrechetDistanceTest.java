package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrechetDistanceTest {
    @TempDir
    Path tmp;

    static FloatMatrix gaussian(Random rnd, int n, int d, double scale, double shift) {
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.data()[i * d + j] = (float) (rnd.nextGaussian() * scale * (1 + 0.1 * j) + shift);
            }
        }
        return x;
    }

    @Test
    void matchesThePytorchFidRouteWithScipySqrtm() {
        for (String name : new String[] {"fid_small", "fid_d64"}) {
            Reference ref = Reference.load(name);
            GaussianStats s1 = GaussianStats.of(ref.matrix("x1"));
            assertArrayEquals(ref.doubles("mu1"), s1.mean(), 1e-12);
            assertArrayEquals(ref.doubles("sigma1"), s1.covariance(), 1e-12);
            double want = ref.scalar("fid");
            for (FrechetDistance.Route route : FrechetDistance.Route.values()) {
                FidResult r = FrechetDistance.using(route).compute(s1, GaussianStats.of(ref.matrix("x2")));
                assertEquals(want, r.value(), 1e-6 * want, name + " " + route);
                assertTrue(r.warnings().isEmpty(), r.warnings().toString());
            }
        }
    }

    @Test
    void equalsTheClosedFormForDiagonalGaussians() {
        // W2² between N(m1, diag(a)) and N(m2, diag(b)) = ‖m1 − m2‖² + Σ (√a − √b)².
        double[] m1 = {0, 1, 2};
        double[] m2 = {1, 1, 0};
        double[] a = {1, 4, 9};
        double[] b = {4, 1, 9};
        double[] ca = new double[9];
        double[] cb = new double[9];
        double want = 0;
        for (int i = 0; i < 3; i++) {
            ca[i * 4] = a[i];
            cb[i * 4] = b[i];
            want += (m1[i] - m2[i]) * (m1[i] - m2[i]) + Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        FidResult r = FrechetDistance.between(GaussianStats.of(100, m1, ca), GaussianStats.of(100, m2, cb));
        assertEquals(want, r.value(), 1e-12);
        assertEquals(5.0, r.meanTerm(), 1e-12);
    }

    @Test
    void fewerSamplesThanDimensionsWarnsAndReportsTheRank() {
        Random rnd = new Random(3);
        FloatMatrix x = gaussian(rnd, 10, 32, 1, 0);
        FloatMatrix y = gaussian(rnd, 200, 32, 1, 0.1);
        FidResult r = FrechetDistance.between(x, y);
        assertEquals(9, r.rank1(), "10 centred rows span 9 dimensions");
        assertEquals(32, r.rank2());
        assertEquals(FrechetDistance.Route.PIVOTED_CHOLESKY, r.route());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("singular covariance")), r.warnings().toString());
        assertTrue(Double.isFinite(r.value()) && r.value() > 0);
        // The classic definition agrees even here, where scipy's sqrtm famously returns complex values.
        FidResult classic = FrechetDistance.using(FrechetDistance.Route.EIGEN_PRODUCT)
                .compute(GaussianStats.of(x), GaussianStats.of(y));
        assertEquals(r.value(), classic.value(), 1e-6 * r.value());
    }

    /**
     * {@code tr Σ1 + tr Σ2 − 2·tr (Σ1Σ2)^½} with the root's trace as the sum of the singular values of {@code A1·A2ᵀ}
     * (Σ = AᵀA, A the centred rows over √(n − 1)): the same non-zero spectrum, from the SVD of an n1 × n2 matrix,
     * which has no null space to round — an independent reference where Σ1 and Σ2 are singular.
     */
    static double traceTermBySvd(FloatMatrix x1, FloatMatrix x2) {
        double[][] a1 = centred(x1);
        double[][] a2 = centred(x2);
        DMatrixRMaj p = new DMatrixRMaj(a1.length, a2.length);
        double tr1 = 0;
        double tr2 = 0;
        for (double[] row : a1) {
            for (double v : row) {
                tr1 += v * v;
            }
        }
        for (double[] row : a2) {
            for (double v : row) {
                tr2 += v * v;
            }
        }
        for (int i = 0; i < a1.length; i++) {
            for (int j = 0; j < a2.length; j++) {
                double s = 0;
                for (int k = 0; k < a1[i].length; k++) {
                    s += a1[i][k] * a2[j][k];
                }
                p.set(i, j, s);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(p.numRows, p.numCols, false, false, true);
        assertTrue(svd.decompose(p));
        double nuclear = 0;
        for (double sv : svd.getSingularValues()) {
            nuclear += sv;
        }
        return tr1 + tr2 - 2 * nuclear;
    }

    private static double[][] centred(FloatMatrix x) {
        int n = x.rows();
        int d = x.cols();
        double[][] a = new double[n][d];
        double scale = 1 / Math.sqrt(n - 1);
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x.get(i, j);
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                a[i][j] = (x.get(i, j) - mean) * scale;
            }
        }
        return a;
    }

    @Test
    void whereΣ1IsSingularThePivotedCholeskyMatchesAnSvdReference() {
        // Fewer rows than dimensions on the first side, then on both. The EJML-based routes keep the rounding
        // of Σ1's null space (about 1e-8 relative here); the pivoted factor leaves that space out.
        Random rnd = new Random(11);
        FloatMatrix a = gaussian(rnd, 150, 90, 1, 0);
        FloatMatrix b = gaussian(rnd, 60, 90, 1.3, 0.2);
        for (FloatMatrix[] pair : new FloatMatrix[][] {{b, a}, {a.rowRange(0, 70), b}}) {
            GaussianStats s1 = GaussianStats.of(pair[0]);
            GaussianStats s2 = GaussianStats.of(pair[1]);
            double want = traceTermBySvd(pair[0], pair[1]);
            FidResult pivoted = FrechetDistance.between(s1, s2);
            assertEquals(FrechetDistance.Route.PIVOTED_CHOLESKY, pivoted.route());
            assertEquals(want, pivoted.traceTerm(), 1e-12 * want);
            for (FrechetDistance.Route route : new FrechetDistance.Route[] {FrechetDistance.Route.SYMMETRIC_SQRT,
                    FrechetDistance.Route.EIGEN_PRODUCT}) {
                FidResult r = FrechetDistance.using(route).compute(s1, s2);
                assertEquals(want, r.traceTerm(), 1e-7 * want, route.toString());
                assertEquals(pivoted.rank1(), r.rank1());
                assertEquals(pivoted.rank2(), r.rank2());
            }
        }
        // And where both are regular, the Cholesky route against the same reference.
        FloatMatrix c = gaussian(rnd, 200, 90, 0.8, 0.1);
        FidResult regular = FrechetDistance.between(a, c);
        assertEquals(FrechetDistance.Route.CHOLESKY, regular.route());
        assertEquals(traceTermBySvd(a, c), regular.traceTerm(), 1e-12 * regular.traceTerm());
    }

    @Test
    void aDeadFeatureWithManySamplesIsExactAndNotedNotWarned() {
        // A feature that is always 0 (a dead ReLU unit) makes both covariances singular with n >> d. The distance is
        // that of the other features, and the warning must not blame the sample count.
        Random rnd = new Random(4);
        FloatMatrix x = gaussian(rnd, 400, 6, 1, 0);
        FloatMatrix y = gaussian(rnd, 400, 6, 1.2, 0.3);
        FloatMatrix xd = new FloatMatrix(400, 7);
        FloatMatrix yd = new FloatMatrix(400, 7);
        for (int i = 0; i < 400; i++) {
            for (int j = 0; j < 6; j++) {
                xd.set(i, j, x.get(i, j));
                yd.set(i, j, y.get(i, j));
            }
        }
        FidResult r = FrechetDistance.between(xd, yd);
        assertEquals(FrechetDistance.between(x, y).value(), r.value(), 1e-9 * r.value());
        assertEquals(6, r.rank1());
        // Constant features explain the whole rank deficit: a note, not a warning.
        assertEquals(java.util.List.of(), r.warnings());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("1 and 1 of the 7 features are constant") && n.contains("exact")),
                r.notes().toString());
    }

    @Test
    void statsRoundTripThroughPytorchFidsNpzFormat() throws IOException {
        Reference ref = Reference.load("fid_small");
        GaussianStats s = GaussianStats.of(ref.matrix("x1"));
        Path p = tmp.resolve("stats.npz");
        s.writeNpz(p);
        GaussianStats back = GaussianStats.readNpz(p);
        assertEquals(s.count(), back.count());
        assertArrayEquals(s.mean(), back.mean(), 0.0);
        assertArrayEquals(s.covariance(), back.covariance(), 0.0);
        // A pytorch-fid file (mu and sigma only) reads with an unknown count.
        GaussianStats noCount = GaussianStats.readNpz(locate("npy/stats_stored.npz"));
        assertEquals(GaussianStats.UNKNOWN_COUNT, noCount.count());
        assertEquals(5, noCount.dim());
        assertThrows(InvalidInputException.class, () -> noCount.merge(noCount));
    }

    static Path locate(String rel) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.exists(dir.resolve("testdata").resolve(rel))) {
            dir = dir.getParent();
        }
        return dir.resolve("testdata").resolve(rel);
    }

    @Test
    void streamedAndMergedStatsEqualOneShotStats() {
        Random rnd = new Random(4);
        FloatMatrix x = gaussian(rnd, 900, 12, 2, 5);
        GaussianStats whole = GaussianStats.of(x);
        GaussianStats.Accumulator acc = GaussianStats.accumulator(12);
        acc.add(x.rowRange(0, 100)).add(x.rowRange(100, 555)).add(x.rowRange(555, 900));
        GaussianStats merged = GaussianStats.of(x.rowRange(0, 300)).merge(GaussianStats.of(x.rowRange(300, 900)));
        for (GaussianStats s : new GaussianStats[] {acc.build(), merged}) {
            assertEquals(900, s.count());
            assertArrayEquals(whole.mean(), s.mean(), 1e-12);
            assertArrayEquals(whole.covariance(), s.covariance(), 1e-11);
        }
    }

    @Test
    void badInputsAreNamed() {
        FloatMatrix ok = gaussian(new Random(1), 10, 3, 1, 0);
        FloatMatrix nan = ok.copy();
        nan.set(4, 2, Float.NaN);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> FrechetDistance.between(ok, nan));
        assertTrue(e.getMessage().contains("features2") && e.getMessage().contains("row 4"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> FrechetDistance.between(ok, gaussian(new Random(2), 10, 4, 1, 0)));
        assertThrows(InvalidInputException.class, () -> FrechetDistance.between(ok.rowRange(0, 1), ok));
        assertThrows(InvalidInputException.class, () -> GaussianStats.of(5, new double[2], new double[3]));
        assertThrows(InvalidInputException.class, () -> GaussianStats.of(5, new double[] {1, Double.POSITIVE_INFINITY}, new double[4]));
        // Matrices that cannot be covariances are refused at the boundary, not scored (an asymmetric one gave 0 with a
        // clamp warning).
        double[] mu = {0, 0};
        assertEquals("the covariance has a negative variance -1.00000 at index 1; it is not a covariance matrix",
                assertThrows(InvalidInputException.class, () -> GaussianStats.of(5, mu, new double[] {1, 0, 0, -1})).getMessage());
        assertEquals("the covariance is not symmetric: [0, 1] = 1.00000 but [1, 0] = 0.00000",
                assertThrows(InvalidInputException.class, () -> GaussianStats.of(5, mu, new double[] {2, 1, 0, 2})).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> GaussianStats.of(5, mu, new double[] {1, 2, 2, 1}))
                .getMessage().startsWith("the covariance [0, 1] = 2.00000 exceeds what the variances 1.00000 and 1.00000 allow"));
    }

    @Property(tries = 30)
    void everyComputedCovarianceIsAcceptedAlsoStoredAsFloat32(@ForAll @IntRange(min = 2, max = 40) int d,
                                                             @ForAll @IntRange(min = 0, max = 999) int seed) {
        // The boundary checks must never refuse a real covariance: among random columns, a duplicated one (|cov| at
        // the Cauchy-Schwarz bound), a constant one (variance 0) and one with a large mean and a tiny spread.
        Random rnd = new Random(seed);
        int n = 5 + rnd.nextInt(3 * d);
        FloatMatrix x = gaussian(rnd, n, d, 1 + rnd.nextInt(100), 0);
        for (int i = 0; i < n; i++) {
            x.set(i, 1, x.get(i, 0));
            x.set(i, d - 1, 3.25f);
            if (d > 3) {
                x.set(i, 2, 1e4f + 1e-2f * (float) rnd.nextGaussian());
            }
        }
        GaussianStats s = GaussianStats.of(x);
        double[] mean32 = s.mean().clone();
        double[] cov32 = s.covariance().clone();
        for (int i = 0; i < cov32.length; i++) {
            cov32[i] = (float) cov32[i];
        }
        for (int i = 0; i < mean32.length; i++) {
            mean32[i] = (float) mean32[i];
        }
        assertDoesNotThrow(() -> GaussianStats.of(s.count(), s.mean(), s.covariance()));
        assertDoesNotThrow(() -> GaussianStats.of(GaussianStats.UNKNOWN_COUNT, mean32, cov32));
    }

    @Property(tries = 25)
    void fidOfIdenticalStatsIsZero(@ForAll @IntRange(min = 2, max = 24) int d, @ForAll @IntRange(min = 0, max = 99) int seed) {
        FloatMatrix x = gaussian(new Random(seed), 3 * d + 5, d, 1.5, 2);
        GaussianStats s = GaussianStats.of(x);
        FidResult r = FrechetDistance.between(s, s);
        assertEquals(0.0, r.value(), 1e-9 * (1 + trace(s)));
    }

    @Property(tries = 25)
    void fidIsSymmetricNonNegativeAndTranslationInvariant(@ForAll @IntRange(min = 1, max = 12) int d,
                                                          @ForAll @IntRange(min = 0, max = 99) int seed,
                                                          @ForAll @DoubleRange(min = -50, max = 50) double shift) {
        Random rnd = new Random(seed);
        FloatMatrix x = gaussian(rnd, 4 * d + 10, d, 1, 0);
        FloatMatrix y = gaussian(rnd, 3 * d + 12, d, 1.3, 0.4);
        double xy = FrechetDistance.between(x, y).value();
        double yx = FrechetDistance.between(y, x).value();
        assertTrue(xy >= 0);
        assertEquals(xy, yx, 1e-9 * (1 + xy));
        FloatMatrix xs = x.copy();
        FloatMatrix ys = y.copy();
        for (int i = 0; i < xs.data().length; i++) {
            xs.data()[i] += (float) shift;
        }
        for (int i = 0; i < ys.data().length; i++) {
            ys.data()[i] += (float) shift;
        }
        assertEquals(xy, FrechetDistance.between(xs, ys).value(), 1e-3 * (1 + xy));
        // Row order does not matter.
        FloatMatrix reversed = new FloatMatrix(x.rows(), d);
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(x.data(), i * d, reversed.data(), (x.rows() - 1 - i) * d, d);
        }
        assertEquals(xy, FrechetDistance.between(reversed, y).value(), 1e-9 * (1 + xy));
        assertFalse(Double.isNaN(xy));
    }

    private static double trace(GaussianStats s) {
        double t = 0;
        double[] c = s.covariance();
        for (int i = 0; i < s.dim(); i++) {
            t += c[i * s.dim() + i];
        }
        return t;
    }
}
