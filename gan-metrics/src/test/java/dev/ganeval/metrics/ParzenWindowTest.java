package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParzenWindowTest {

    @Test
    void logGridMatchesNumpyLogspace() {
        assertArrayEquals(Reference.load("parzen").doubles("sigmas"), ParzenWindow.defaultSigmas(), 1e-15);
    }

    @Test
    void matchesScipyLogsumexpOnThePapersProtocol() {
        Reference ref = Reference.load("parzen");
        FloatMatrix samples = ref.matrix("samples");
        ParzenResult r = ParzenWindow.builder().build().compute(samples, ref.matrix("valid"), ref.matrix("test"));
        assertArrayEquals(ref.doubles("curve"), r.validationCurve(), 1e-4);
        assertEquals(ref.scalar("best_sigma"), r.sigma(), 1e-15);
        assertEquals(ref.scalar("test_mean"), r.value(), 1e-4);
        assertEquals(ref.scalar("test_se"), r.standardError(), 1e-5);
        double[] perRow = ParzenWindow.builder().sigmas(0.3).build().logLikelihoods(samples, ref.matrix("test"))[0];
        assertArrayEquals(ref.doubles("test_ll_sigma_0_3"), perRow, 1e-4);
    }

    @Test
    void progressCountsTheValidationRowsThenTheTestRowsAndChangesNothing() {
        Reference ref = Reference.load("parzen");
        FloatMatrix samples = ref.matrix("samples");
        FloatMatrix valid = ref.matrix("valid");
        FloatMatrix test = ref.matrix("test");
        ParzenWindow w = ParzenWindow.builder().build();
        java.util.List<long[]> seen = new java.util.ArrayList<>();
        ParzenResult with = w.compute(samples, valid, test, (done, total) -> seen.add(new long[] {done, total}));
        ParzenResult without = w.compute(samples, valid, test);
        assertEquals(without.value(), with.value(), 0.0);
        assertEquals(without.standardError(), with.standardError(), 0.0);
        assertEquals(without.sigma(), with.sigma(), 0.0);
        assertArrayEquals(without.validationCurve(), with.validationCurve(), 0.0);
        long total = valid.rows() + test.rows();
        long last = 0;
        boolean validationDone = false;
        for (long[] u : seen) {
            assertEquals(total, u[1]);
            assertTrue(u[0] >= last && u[0] <= total, "done " + u[0] + " after " + last);
            validationDone |= u[0] == valid.rows();
            last = u[0];
        }
        assertTrue(validationDone, "the validation phase ends at " + valid.rows());
        assertEquals(total, last);
    }

    @Test
    void survivesTinySigmaInHighDimensions() {
        // d = 784, σ = 0.1: exponents near −10⁴ underflow exp() unless the sum is shifted.
        Random rnd = new Random(1);
        FloatMatrix mu = new FloatMatrix(50, 784);
        FloatMatrix x = new FloatMatrix(5, 784);
        for (int i = 0; i < mu.data().length; i++) {
            mu.data()[i] = rnd.nextFloat();
        }
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = rnd.nextFloat();
        }
        double[] ll = ParzenWindow.builder().sigmas(0.1).build().logLikelihoods(mu, x)[0];
        for (double v : ll) {
            assertTrue(Double.isFinite(v) && v < -1000, "log-likelihood " + v);
        }
    }

    @Test
    void badInputsAreNamed() {
        FloatMatrix a = new FloatMatrix(3, 2);
        assertThrows(InvalidInputException.class, () -> ParzenWindow.builder().sigmas(0.0));
        assertThrows(InvalidInputException.class, () -> ParzenWindow.builder().sigmas(-1));
        assertThrows(InvalidInputException.class, () -> ParzenWindow.builder().sigmas());
        assertThrows(InvalidInputException.class, () -> ParzenWindow.builder().build().fitSigma(a, new FloatMatrix(3, 3)));
        assertThrows(InvalidInputException.class, () -> ParzenWindow.builder().build().fitSigma(new FloatMatrix(0, 2), a));
        FloatMatrix inf = a.copy();
        inf.set(1, 1, Float.POSITIVE_INFINITY);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ParzenWindow.builder().build().fitSigma(a, inf));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }

    @Property(tries = 30)
    void movingTestPointsAwayFromAllSamplesLowersTheLikelihood(@ForAll @IntRange(min = 0, max = 999) int seed,
                                                               @ForAll @DoubleRange(min = 0.5, max = 5) double step,
                                                               @ForAll @DoubleRange(min = 0.1, max = 1) double sigma) {
        Random rnd = new Random(seed);
        FloatMatrix mu = new FloatMatrix(40, 3);
        for (int i = 0; i < mu.data().length; i++) {
            mu.data()[i] = rnd.nextFloat();
        }
        FloatMatrix near = new FloatMatrix(1, 3, new float[] {2, 2, 2});
        FloatMatrix far = new FloatMatrix(1, 3, new float[] {(float) (2 + step), (float) (2 + step), (float) (2 + step)});
        ParzenWindow p = ParzenWindow.builder().sigmas(sigma).build();
        assertTrue(p.logLikelihoods(mu, far)[0][0] < p.logLikelihoods(mu, near)[0][0]);
    }

    @Property(tries = 20)
    void singleSampleGivesTheGaussianDensity(@ForAll @DoubleRange(min = -3, max = 3) double x,
                                             @ForAll @DoubleRange(min = 0.1, max = 2) double sigma) {
        FloatMatrix mu = new FloatMatrix(1, 1, new float[] {0f});
        FloatMatrix t = new FloatMatrix(1, 1, new float[] {(float) x});
        double xf = (float) x;
        double want = -xf * xf / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI));
        assertEquals(want, ParzenWindow.builder().sigmas(sigma).build().logLikelihoods(mu, t)[0][0], 1e-5 * (1 + Math.abs(want)));
    }

    @Property(tries = 15)
    void aFinerGridNeverChoosesWorseOnValidationAndItsCurveIsTheLikelihoodAtEachSigma(
            @ForAll @IntRange(min = 0, max = 999) int seed, @ForAll @IntRange(min = 2, max = 6) int refine) {
        Random rnd = new Random(seed);
        FloatMatrix mu = new FloatMatrix(60, 5);
        FloatMatrix valid = new FloatMatrix(20, 5);
        for (float[] a : new float[][] {mu.data(), valid.data()}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextFloat();
            }
        }
        // The fine grid holds every coarse value (each refine-th point), so its best cannot be lower.
        ParzenResult coarse = ParzenWindow.builder().sigmas(ParzenWindow.logGrid(0.05, 1, 6)).build().fitSigma(mu, valid);
        ParzenWindow fineWindow = ParzenWindow.builder().sigmas(ParzenWindow.logGrid(0.05, 1, 5 * refine + 1)).build();
        ParzenResult fine = fineWindow.fitSigma(mu, valid);
        assertTrue(fine.value() >= coarse.value() - 1e-9 * Math.abs(coarse.value()), fine.value() + " < " + coarse.value());
        double[] curve = fine.validationCurve();
        double[] sigmas = fine.sigmas();
        for (int i = 0; i < sigmas.length; i++) {
            assertTrue(curve[i] <= fine.value(), "the chosen σ has the best validation mean");
            // Exactly: the same sums, whose exponentials round the same way before and after the JIT compiles them.
            assertEquals(fineWindow.logLikelihood(mu, valid, sigmas[i]).value(), curve[i]);
        }
    }
}
