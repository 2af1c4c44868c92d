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
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("threshold", threshold);
        s.put("confidence", realJudgedReal.confidence());
        s.put("real", realJudgedReal.trials());
        s.put("fake", fakeJudgedReal.trials());
        return s;
    }
}
