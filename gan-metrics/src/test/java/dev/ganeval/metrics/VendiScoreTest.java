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

class VendiScoreTest {
    private static final VendiScore.Route SAMPLES = VendiScore.Route.SAMPLE_GRAM;
    private static final VendiScore.Route FEATURES = VendiScore.Route.FEATURE_GRAM;

    private static double vendi(VendiScore.Builder b, FloatMatrix x) {
        return b.build().compute(x).value();
    }

    private static double worst;

    private static void assertRelative(double want, double got, String what) {
        double rel = Math.abs(got - want) / Math.abs(want);
        worst = Math.max(worst, rel);
        assertTrue(rel < 1e-10, what + ": " + got + " against " + want);
    }

    @Test
    void matchesScipyEigvalshOfKOverN() {
        Reference ref = Reference.load("vendi");
        worst = 0;
        FloatMatrix tall = ref.matrix("tall");
        FloatMatrix wide = ref.matrix("wide");
        VendiResult auto = VendiScore.create().compute(tall);
        assertEquals(FEATURES, auto.route(), "200 rows of 8: the 8 x 8 matrix");
        assertRelative(ref.scalar("cosine_tall"), auto.value(), "cosine, tall, features");
        assertRelative(ref.scalar("cosine_tall"), vendi(VendiScore.builder().route(SAMPLES), tall), "cosine, tall, samples");
        VendiResult wideAuto = VendiScore.create().compute(wide);
        assertEquals(SAMPLES, wideAuto.route(), "25 rows of 40: the 25 x 25 matrix");
        assertRelative(ref.scalar("cosine_wide"), wideAuto.value(), "cosine, wide, samples");
        assertRelative(ref.scalar("cosine_wide"), vendi(VendiScore.builder().route(FEATURES), wide), "cosine, wide, features");
        assertRelative(ref.scalar("rbf"), vendi(VendiScore.builder().rbf(ref.scalar("rbf_sigma")), ref.matrix("rbf_x")), "rbf");
        for (VendiScore.Route route : new VendiScore.Route[] {SAMPLES, FEATURES}) {
            assertRelative(ref.scalar("cosine_tall_q05"), vendi(VendiScore.builder().order(0.5).route(route), tall), "q 0.5");
            assertRelative(ref.scalar("cosine_tall_q2"), vendi(VendiScore.builder().order(2).route(route), tall), "q 2");
            assertRelative(ref.scalar("cosine_tall_qinf"),
                    vendi(VendiScore.builder().order(Double.POSITIVE_INFINITY).route(route), tall), "q inf");
        }
        System.out.printf("Vendi against scipy eigvalsh: %.2e relative at worst%n", worst);
    }

    @Test
    void theReadmeExampleWithAUserKernelOnOneDimensionalRows() {
        // score([0, 0, 10, 10, 20, 20], k(a, b) = exp(−|a − b|)) = 2.9999… : three distinct values, nearly unrelated.
        FloatMatrix x = FloatMatrix.ofRows(new float[] {0}, new float[] {0}, new float[] {10}, new float[] {10},
                new float[] {20}, new float[] {20});
        VendiResult r = VendiScore.builder().kernel("exp(-|a-b|)", (a, b) -> Math.exp(-Math.abs(a[0] - b[0]))).build()
                .compute(x);
        assertTrue(r.value() > 2.9999 && r.value() < 3, String.valueOf(r.value()));
        double want = Reference.load("vendi").scalar("readme_score");
        System.out.printf("Vendi README example: %.17g, numpy %.17g, %.2e relative%n", r.value(), want,
                Math.abs(r.value() - want) / want);
        assertEquals(want, r.value(), 1e-10 * want);
        assertEquals("Vendi", r.metric());
        assertEquals("exp(-|a-b|)", r.settings().get("kernel"));
        assertEquals(6, r.samples());
    }

    @Test
    void identicalRowsScoreOneAndOrthogonalRowsScoreTheirCount() {
        int n = 7;
        FloatMatrix same = new FloatMatrix(n, 5);
        FloatMatrix orthogonal = new FloatMatrix(n, 9);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 5; j++) {
                same.set(i, j, 0.5f + j);
            }
            orthogonal.set(i, i + 1, 1 + i); // lengths differ; the cosine kernel does not care
        }
        for (VendiScore.Route route : new VendiScore.Route[] {SAMPLES, FEATURES}) {
            for (double q : new double[] {0.5, 1, 2, Double.POSITIVE_INFINITY}) {
                assertEquals(1, vendi(VendiScore.builder().route(route).order(q), same), 1e-12, route + " q " + q);
                assertEquals(n, vendi(VendiScore.builder().route(route).order(q), orthogonal), 1e-12 * n, route + " q " + q);
            }
        }
        assertEquals(1, vendi(VendiScore.builder().rbf(0.3), same), 1e-12);
        assertEquals(1, vendi(VendiScore.builder().kernel("one", (a, b) -> 1), same), 1e-12);
        assertEquals(1, VendiScore.create().compute(same.rowRange(0, 1)).value(), 0.0, "one sample");
    }

    @Test
    void bothRoutesGiveTheSameNonZeroEigenvalues() {
        Random rnd = new Random(4);
        for (int[] shape : new int[][] {{300, 20}, {40, 64}, {50, 50}}) {
            FloatMatrix x = FrechetDistanceTest.gaussian(rnd, shape[0], shape[1], 1, 0.4);
            for (double q : new double[] {0.5, 1, 3, Double.POSITIVE_INFINITY}) {
                double a = vendi(VendiScore.builder().route(SAMPLES).order(q), x);
                double b = vendi(VendiScore.builder().route(FEATURES).order(q), x);
                assertEquals(a, b, 1e-12 * a, shape[0] + "x" + shape[1] + " q " + q);
            }
        }
    }

    @Test
    void badInputIsRefusedByName() {
        Random rnd = new Random(5);
        FloatMatrix x = TestData.gaussian(rnd, 10, 3, 0);
        x.set(6, 0, 0);
        x.set(6, 1, 0);
        x.set(6, 2, 0);
        InvalidInputException zero = assertThrows(InvalidInputException.class, () -> VendiScore.create().compute(x));
        assertTrue(zero.getMessage().contains("row 6"), zero.getMessage());
        assertTrue(vendi(VendiScore.builder().rbf(1), x) > 1, "the RBF kernel takes a zero row");
        assertThrows(InvalidInputException.class, () -> VendiScore.builder().rbf(0));
        assertThrows(InvalidInputException.class, () -> VendiScore.builder().rbf(Double.NaN));
        assertThrows(InvalidInputException.class, () -> VendiScore.builder().order(0));
        assertThrows(InvalidInputException.class, () -> VendiScore.builder().order(Double.NaN));
        assertThrows(InvalidInputException.class, () -> VendiScore.builder().rbf(1).route(FEATURES).build());
        FloatMatrix y = TestData.gaussian(rnd, 10, 3, 0);
        InvalidInputException notPsd = assertThrows(InvalidInputException.class,
                () -> VendiScore.builder().kernel("anti", (a, b) -> a == b ? 1 : -0.5).build().compute(y));
        assertTrue(notPsd.getMessage().contains("not positive semi-definite"), notPsd.getMessage());
        InvalidInputException diagonal = assertThrows(InvalidInputException.class,
                () -> VendiScore.builder().kernel("dot", VendiScoreTest::dot).build().compute(y));
        assertTrue(diagonal.getMessage().contains("k(x, x) = 1"), diagonal.getMessage());
        InvalidInputException nan = assertThrows(InvalidInputException.class,
                () -> VendiScore.builder().kernel("nan", (a, b) -> a == b ? 1 : Double.NaN).build().compute(y));
        assertTrue(nan.getMessage().contains("NaN for rows 1 and 0"), nan.getMessage());
        FloatMatrix inf = y.copy();
        inf.set(2, 1, Float.POSITIVE_INFINITY);
        assertThrows(InvalidInputException.class, () -> VendiScore.create().compute(inf));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Clustered rows: {@code clusters} centres plus noise, so scores fall well inside (1, n). */
    private static FloatMatrix clustered(Random rnd, int n, int d, int clusters) {
        FloatMatrix c = TestData.gaussian(rnd, clusters, d, 0.3);
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(clusters);
            for (int j = 0; j < d; j++) {
                x.set(i, j, c.get(k, j) + 0.3f * (float) rnd.nextGaussian());
            }
        }
        return x;
    }

    private static VendiScore.Builder kernelNumber(int k) {
        return switch (k) {
            case 0 -> VendiScore.builder();
            case 1 -> VendiScore.builder().route(SAMPLES);
            default -> VendiScore.builder().rbf(1.5);
        };
    }

    @Property(tries = 40)
    void liesBetweenOneAndTheSampleCountAndFallsWithTheOrder(@ForAll @IntRange(min = 1, max = 60) int n,
                                                             @ForAll @IntRange(min = 1, max = 12) int d,
                                                             @ForAll @IntRange(min = 0, max = 2) int kernel,
                                                             @ForAll @IntRange(min = 0, max = 999) int seed) {
        FloatMatrix x = clustered(new Random(seed), n, d, 1 + seed % 5);
        double previous = Double.POSITIVE_INFINITY;
        for (double q : new double[] {0.5, 1, 2, Double.POSITIVE_INFINITY}) {
            double v = vendi(kernelNumber(kernel).order(q), x);
            assertTrue(v >= 1 - 1e-12 && v <= n * (1 + 1e-12), "q " + q + ": " + v + " for n = " + n);
            assertTrue(v <= previous * (1 + 1e-12), "Rényi entropy falls with q: " + v + " after " + previous);
            previous = v;
        }
    }

    @Property(tries = 30)
    void rowOrderDoesNotMatterAndDuplicatingEveryRowChangesNothing(@ForAll @IntRange(min = 2, max = 50) int n,
                                                                  @ForAll @IntRange(min = 1, max = 10) int d,
                                                                  @ForAll @IntRange(min = 0, max = 2) int kernel,
                                                                  @ForAll @IntRange(min = 0, max = 999) int seed) {
        Random rnd = new Random(seed);
        FloatMatrix x = clustered(rnd, n, d, 1 + seed % 4);
        double v = vendi(kernelNumber(kernel), x);
        int[] perm = FidInfinity.shuffled(n, seed);
        FloatMatrix shuffled = new FloatMatrix(n, d);
        FloatMatrix doubled = new FloatMatrix(2 * n, d);
        for (int i = 0; i < n; i++) {
            System.arraycopy(x.data(), perm[i] * d, shuffled.data(), i * d, d);
            System.arraycopy(x.data(), i * d, doubled.data(), 2 * i * d, d);
            System.arraycopy(x.data(), i * d, doubled.data(), (2 * i + 1) * d, d);
        }
        assertEquals(v, vendi(kernelNumber(kernel), shuffled), 1e-10 * v, "row order");
        assertEquals(v, vendi(kernelNumber(kernel), doubled), 1e-10 * v, "every row twice");
    }
}
