package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A trained critic's estimate of W1 (real, fake) on rows it was not trained on ({@link WassersteinCritic}).
 *
 * @param estimate      {@code mean f(real) − mean f(fake)} over the held-out halves
 * @param standardError the standard error of that difference of two means (the held-out rows' spread)
 * @param constraint    the gradient penalty or weight clipping
 * @param strength      λ for the penalty, c for clipping
 * @param curve         the training curve, in step order
 */
public record WganResult(double estimate, double standardError, WassersteinCritic.Constraint constraint, int trainReal,
                         int trainFake, int testReal, int testFake, int steps, int width, int depth, int batch,
                         double strength, double learningRate, long seed, String on, List<CurvePoint> curve)
        implements Score {
    /**
     * One point of the training curve.
     *
     * @param trainEstimate {@code mean f(real) − mean f(fake)} on the training minibatches since the previous point
     * @param penalty       the gradient penalty's mean over the same steps (NaN with clipping)
     * @param heldOut       the estimate on up to 1,024 held-out rows a side, at this step
     */
    public record CurvePoint(int step, double trainEstimate, double penalty, double heldOut) {
    }

    @Override
    public String metric() {
        return "WGAN critic W1";
    }

    @Override
    public double value() {
        return estimate;
    }

    @Override
    public double uncertainty() {
        return standardError;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("standard_error", standardError);
        d.put("curve", curve.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", p.step());
            m.put("train_estimate", p.trainEstimate());
            if (!Double.isNaN(p.penalty())) {
                m.put("penalty", p.penalty());
            }
            m.put("held_out", p.heldOut());
            return m;
        }).toList());
        return d;
    }

    @Override
    public List<String> notes() {
        return List.of(constraint == WassersteinCritic.Constraint.GRADIENT_PENALTY
                ? "a critic under a soft gradient penalty: near W1, above it by about W1/(2λ) relative where the sides "
                + "differ by a translation, below it when the critic is under-trained"
                : "a weight-clipped critic is K-Lipschitz for an unknown K: W1 up to that scale, comparable only between "
                + "runs with the same settings");
    }

    @Override
    public String summary() {
        return String.format(Locale.ROOT, "%.4f ± %.4f (held out: %d real, %d fake; critic %d×%d, %s, %d steps)",
                estimate, standardError, testReal, testFake, depth, width, constraint, steps);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("constraint", constraint.toString());
        s.put(constraint == WassersteinCritic.Constraint.GRADIENT_PENALTY ? "lambda" : "clip", strength);
        s.put("steps", steps);
        s.put("width", width);
        s.put("depth", depth);
        s.put("batch", batch);
        s.put("lr", learningRate);
        s.put("on", on);
        s.put("train", List.of(trainReal, trainFake));
        s.put("test", List.of(testReal, testFake));
        s.put("seed", seed);
        return s;
    }
}
