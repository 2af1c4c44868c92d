package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A classifier two-sample test: the held-out accuracy of a classifier trained to tell real from fake, with its
 * Wilson interval and the one-sided binomial p-value against chance (0.5). An accuracy near 0.5 means the
 * classifier could not separate the sets.
 */
public record C2stResult(Proportion accuracy, double pValue, int trainRows, int testRows, long seed, String classifier)
        implements Score {
    @Override
    public String metric() {
        return "C2ST accuracy";
    }

    @Override
    public double value() {
        return accuracy.estimate();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("interval", java.util.List.of(accuracy.low(), accuracy.high()));
        d.put("confidence", accuracy.confidence());
        d.put("p_value", pValue);
        return d;
    }

    @Override
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%.4f (%.0f%%: %.4f to %.4f)  p = %.3g against chance", accuracy.estimate(),
                100 * accuracy.confidence(), accuracy.low(), accuracy.high(), pValue);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("classifier", classifier);
        s.put("train", trainRows);
        s.put("test", testRows);
        s.put("seed", seed);
        return s;
    }
}
