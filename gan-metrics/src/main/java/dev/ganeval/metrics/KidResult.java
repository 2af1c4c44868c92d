package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kernel Inception Distance: the mean over subsets of the unbiased MMD² estimate with the cubic polynomial
 * kernel, and the standard deviation over subsets (ddof 0, as torch-fidelity reports it). May be negative:
 * the estimator is unbiased, so a value near 0 can fall on either side.
 */
public record KidResult(double value, double std, int subsets, int subsetSize, long seed, int dim,
                        int realRows, int fakeRows) implements Score {
    @Override
    public String metric() {
        return "KID";
    }

    @Override
    public double uncertainty() {
        return std;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("subsets", subsets);
        s.put("subset_size", subsetSize);
        s.put("seed", seed);
        s.put("kernel", "(x.y/" + dim + " + 1)^3");
        return s;
    }
}
