package dev.ganeval.metrics;

import java.util.Map;

/**
 * A Wasserstein estimate: {@code distance = cost^(1/p)}, where {@code cost} is the optimal (or estimated)
 * transport cost with ground cost {@code ‖x − y‖^p} — so for p = 2, {@code cost} is W2², the number POT's
 * {@code emd2} returns with a squared-Euclidean cost matrix.
 *
 * @param method {@code exact-1d}, {@code exact}, {@code sliced}, {@code sinkhorn} or {@code gaussian}
 */
public record WassersteinResult(String method, int p, double cost, double distance, Map<String, Object> settings)
        implements Score {
    public WassersteinResult {
        settings = Map.copyOf(settings);
    }

    @Override
    public String metric() {
        return "W" + p + " (" + method + ")";
    }

    @Override
    public double value() {
        return distance;
    }
}
