package dev.ganeval.metrics;

import dev.ganeval.core.Discriminator;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RealFakeRatioTest {
    /** A discriminator that calls a sample real when its first coordinate is positive. */
    private static final Discriminator SIGN = x -> {
        float[] p = new float[x.rows()];
        for (int i = 0; i < p.length; i++) {
            p[i] = x.get(i, 0) > 0 ? 0.9f : 0.1f;
        }
        return p;
    };

    @Test
    void wilsonIntervalsMatchScipy() {
        Reference ref = Reference.load("wilson");
        double[] k = ref.doubles("k");
        double[] low = ref.doubles("low");
        double[] high = ref.doubles("high");
        for (int i = 0; i < k.length; i++) {
            Proportion p = Proportion.wilson((long) k[i], 100, 0.95);
            assertEquals(low[i], p.low(), 1e-12, "low for k=" + k[i]);
            assertEquals(high[i], p.high(), 1e-12, "high for k=" + k[i]);
        }
    }

    /** The ratio for {@code kf} of {@code nf} fakes and {@code kr} of {@code nr} reals judged real. */
    private static RatioResult judged(int kf, int nf, int kr, int nr) {
        float[] real = new float[nr];
        float[] fake = new float[nf];
        for (int i = 0; i < nr; i++) {
            real[i] = i < kr ? 1 : -1;
        }
        for (int i = 0; i < nf; i++) {
            fake[i] = i < kf ? 1 : -1;
        }
        return RealFakeRatio.create().compute(SIGN, new FloatMatrix(nr, 1, real), new FloatMatrix(nf, 1, fake));
    }

    @Test
    void katzIntervalsMatchScipysRelativeRisk() {
        Reference ref = Reference.load("katz");
        double[] cases = ref.doubles("cases");
        double[] ratio = ref.doubles("ratio");
        double[] low = ref.doubles("low");
        double[] high = ref.doubles("high");
        for (int i = 0; i < ratio.length; i++) {
            RatioResult r = judged((int) cases[4 * i], (int) cases[4 * i + 1], (int) cases[4 * i + 2], (int) cases[4 * i + 3]);
            assertEquals(ratio[i], r.ratio(), 1e-12 * ratio[i], "case " + i);
            assertEquals(low[i], r.ratioLow(), 1e-12 * low[i], "case " + i);
            assertEquals(high[i], r.ratioHigh(), 1e-12 * high[i], "case " + i);
        }
    }

    @Test
    void whereDCallsEverySampleRealTheIntervalStillHasWidth() {
        // scipy's Katz interval is [1, 1] here: no uncertainty from 2,000 and 10,000 samples, which is false.
        RatioResult all = judged(2000, 2000, 10000, 10000);
        assertEquals(1.0, all.ratio(), 0.0);
        assertTrue(all.ratioLow() < 1 && all.ratioHigh() > 1 && all.ratioHigh() - all.ratioLow() < 0.01,
                all.ratioLow() + " " + all.ratioHigh());
        // Fewer samples, a wider interval; and at the other end, no fake judged real.
        RatioResult few = judged(20, 20, 100, 100);
        assertTrue(few.ratioHigh() - few.ratioLow() > all.ratioHigh() - all.ratioLow());
        RatioResult none = judged(0, 50, 40, 50);
        assertEquals(0.0, none.ratio(), 0.0);
        assertTrue(none.ratioLow() > 0 && none.ratioHigh() < 1 && Double.isFinite(none.ratioHigh()));
    }

    @Test
    void countsWhatTheDiscriminatorSays() {
        FloatMatrix real = new FloatMatrix(10, 1, new float[] {1, 2, 3, 4, 5, 6, 7, 8, -1, -2});
        FloatMatrix fake = new FloatMatrix(5, 1, new float[] {1, -1, -2, -3, -4});
        RatioResult r = RealFakeRatio.create().compute(SIGN, real, fake);
        assertEquals(0.8, r.realJudgedReal().estimate(), 1e-15);
        assertEquals(0.2, r.fakeJudgedReal().estimate(), 1e-15);
        assertEquals(0.25, r.ratio(), 1e-15);
        assertEquals(0.74, r.meanOutputReal(), 1e-6);
        assertEquals(0.26, r.meanOutputFake(), 1e-6);
        assertTrue(r.ratioLow() < 0.25 && r.ratioHigh() > 0.25);
    }

    @Test
    void badDiscriminatorOutputsAreNamed() {
        FloatMatrix x = new FloatMatrix(3, 2);
        InvalidInputException count = assertThrows(InvalidInputException.class,
                () -> RealFakeRatio.create().compute(s -> new float[2], x, x));
        assertTrue(count.getMessage().contains("2 outputs for 3"), count.getMessage());
        InvalidInputException logit = assertThrows(InvalidInputException.class,
                () -> RealFakeRatio.create().compute(s -> new float[] {0.5f, 3f, 0f}, x, x));
        assertTrue(logit.getMessage().contains("sample 1") && logit.getMessage().contains("sigmoid"), logit.getMessage());
        assertThrows(InvalidInputException.class, () -> RealFakeRatio.create().compute(s -> new float[] {0, Float.NaN, 0}, x, x));
    }

    @Test
    void classifierTwoSampleTestSeparatesDifferentSetsAndNotIdenticalOnes() {
        Random rnd = new Random(11);
        C2stResult same = ClassifierTwoSampleTest.create().compute(TestData.gaussian(rnd, 400, 5, 0), TestData.gaussian(rnd, 400, 5, 0));
        assertTrue(same.accuracy().low() < 0.5 + 0.02 && same.accuracy().estimate() < 0.6, "same: " + same.accuracy());
        assertTrue(same.pValue() > 0.001);
        C2stResult shifted = ClassifierTwoSampleTest.create().compute(TestData.gaussian(rnd, 400, 5, 0), TestData.gaussian(rnd, 400, 5, 1));
        assertTrue(shifted.accuracy().estimate() > 0.8, "shifted: " + shifted.accuracy());
        assertTrue(shifted.pValue() < 1e-6);
        assertEquals(400, shifted.testRows());
        C2stResult again = ClassifierTwoSampleTest.create().compute(TestData.gaussian(new Random(3), 100, 3, 0), TestData.gaussian(new Random(4), 100, 3, 0.5));
        C2stResult again2 = ClassifierTwoSampleTest.create().compute(TestData.gaussian(new Random(3), 100, 3, 0), TestData.gaussian(new Random(4), 100, 3, 0.5));
        assertEquals(again.accuracy().successes(), again2.accuracy().successes(), "seeded: reproducible");
    }
}
