package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Parzen-window log-likelihood: the mean over the test rows of {@code log p(x)} and its standard error
 * {@code std/√n} (std with ddof 0, as the 2014 paper reported it), in nats.
 *
 * @param sigmas          the σ grid searched (empty when σ was given)
 * @param validationCurve mean validation log-likelihood for each σ of the grid (empty when σ was given)
 */
public record ParzenResult(double value, double standardError, double sigma, int samples, int testRows, int dim,
                           double[] sigmas, double[] validationCurve) implements Score {
    public ParzenResult {
        sigmas = sigmas.clone();
        validationCurve = validationCurve.clone();
    }

    @Override
    public double[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public double[] validationCurve() {
        return validationCurve.clone();
    }

    @Override
    public String metric() {
        return "Parzen log-likelihood";
    }

    @Override
    public double uncertainty() {
        return standardError;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sigma", sigma);
        if (sigmas.length > 0) {
            java.util.List<Object> curve = new java.util.ArrayList<>();
            for (int i = 0; i < sigmas.length; i++) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("sigma", sigmas[i]);
                point.put("mean", validationCurve[i]);
                curve.add(point);
            }
            d.put("validation_curve", curve);
        }
        return d;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("sigma", sigma);
        s.put("samples", samples);
        s.put("test_rows", testRows);
        s.put("dim", dim);
        return s;
    }
}
