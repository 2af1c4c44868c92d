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
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("classifier", classifier);
        s.put("train", trainRows);
        s.put("test", testRows);
        s.put("seed", seed);
        return s;
    }
}
