package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Precision and recall (Kynkäänniemi et al., 2019) with k = {@code kPrecisionRecall}, density and coverage
 * (Naeem et al., 2020) with k = {@code kDensityCoverage}. {@link #value()} is the precision.
 */
public record PrdcResult(double precision, double recall, double density, double coverage,
                         int kPrecisionRecall, int kDensityCoverage, int realRows, int fakeRows) implements Score {
    @Override
    public String metric() {
        return "precision/recall/density/coverage";
    }

    @Override
    public double value() {
        return precision;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("recall", recall);
        d.put("density", density);
        d.put("coverage", coverage);
        return d;
    }

    @Override
    public String summary() {
        return String.format(java.util.Locale.ROOT, "precision %.4f  recall %.4f  density %.4f  coverage %.4f",
                precision, recall, density, coverage);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("k_precision_recall", kPrecisionRecall);
        s.put("k_density_coverage", kDensityCoverage);
        s.put("real", realRows);
        s.put("fake", fakeRows);
        return s;
    }
}
