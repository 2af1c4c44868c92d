package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Vendi score: the effective number of distinct samples in one set, between 1 (all alike) and the sample count
 * (all orthogonal under the kernel).
 *
 * @param samples the number of rows scored
 * @param dim the number of features a row
 * @param kernel the kernel's name: {@code cosine}, {@code rbf(sigma=…)} or the name a user gave
 * @param order the order q of the entropy (1: Shannon; {@link Double#POSITIVE_INFINITY}: 1/max λ)
 * @param route which matrix the eigenvalues came from
 */
public record VendiResult(double value, int samples, int dim, String kernel, double order, VendiScore.Route route)
        implements Score {
    @Override
    public String metric() {
        return "Vendi";
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kernel", kernel);
        s.put("q", order == Double.POSITIVE_INFINITY ? "inf" : order);
        s.put("samples", samples);
        s.put("dim", dim);
        s.put("route", route.name().toLowerCase(java.util.Locale.ROOT));
        return s;
    }
}
