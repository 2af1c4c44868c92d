package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a discriminator thinks of real and generated samples: the fraction of each it judges real (output above
 * the threshold), their mean outputs, and the ratio {@code fake-judged-real / real-judged-real} with a Katz
 * log-interval — 1 means the discriminator cannot tell them apart, 0 that it never falls for a fake.
 */
public record RatioResult(Proportion realJudgedReal, Proportion fakeJudgedReal, double meanOutputReal,
                          double meanOutputFake, double ratio, double ratioLow, double ratioHigh, double threshold)
        implements Score {
    @Override
    public String metric() {
        return "real/fake ratio";
    }

    @Override
    public double value() {
        return ratio;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("interval", java.util.List.of(ratioLow, ratioHigh));
        d.put("real_judged_real", realJudgedReal.estimate());
        d.put("fake_judged_real", fakeJudgedReal.estimate());
        d.put("mean_output_real", meanOutputReal);
        d.put("mean_output_fake", meanOutputFake);
        return d;
    }

    /** The ratio alone hides what drives it: how often D calls each side real, and what it outputs on average. */
    @Override
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%.4f (%.0f%%: %.4f to %.4f)  judged real: real %.4f, fake %.4f  mean D: "
                        + "real %.4f, fake %.4f", ratio, 100 * realJudgedReal.confidence(), ratioLow, ratioHigh,
                realJudgedReal.estimate(), fakeJudgedReal.estimate(), meanOutputReal, meanOutputFake);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("threshold", threshold);
        s.put("confidence", realJudgedReal.confidence());
        s.put("real", realJudgedReal.trials());
        s.put("fake", fakeJudgedReal.trials());
        return s;
    }
}
