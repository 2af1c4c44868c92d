package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Inception Score: the mean over splits of {@code exp(E_x KL(p(y|x) ‖ p(y)))} and the standard deviation
 * over splits (ddof 0), as improved-gan reports them.
 *
 * @param shuffleSeed the seed rows were shuffled with before splitting, or null when they were split in order
 */
public record InceptionScoreResult(double value, double std, int splits, int samples, int classes,
                                   double[] splitScores, Long shuffleSeed) implements Score {
    public InceptionScoreResult {
        splitScores = splitScores.clone();
    }

    @Override
    public double[] splitScores() {
        return splitScores.clone();
    }

    @Override
    public String metric() {
        return "Inception Score";
    }

    @Override
    public double uncertainty() {
        return std;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        java.util.List<Object> scores = new java.util.ArrayList<>();
        for (double s : splitScores) {
            scores.add(s);
        }
        d.put("split_scores", scores);
        return d;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("splits", splits);
        s.put("samples", samples);
        s.put("classes", classes);
        s.put("shuffle_seed", shuffleSeed);
        return s;
    }
}
