package dev.ganeval.core.gan;

import dev.ganeval.core.nn.Adam;
import dev.ganeval.core.nn.Optimizer;
import dev.ganeval.core.nn.Sgd;

import java.util.Locale;

/**
 * How the reference GAN's parameters are updated: {@link #SGD} with classical momentum, the 2014 paper's rule (its
 * momentum ramp is part of {@link GanConfig}), or {@link #adam(double, double, double) Adam} with its two betas and
 * epsilon. Both follow the configuration's learning-rate schedule. Written as {@code sgd} or
 * {@code adam:BETA1,BETA2,EPSILON}.
 */
public record UpdateRule(Kind kind, double beta1, double beta2, double epsilon) {
    public enum Kind { SGD, ADAM }

    /** The paper's rule. */
    public static final UpdateRule SGD = new UpdateRule(Kind.SGD, 0, 0, 0);

    public UpdateRule {
        java.util.Objects.requireNonNull(kind, "kind");
        if (kind == Kind.SGD && (beta1 != 0 || beta2 != 0 || epsilon != 0)) {
            throw new IllegalArgumentException("SGD takes no betas or epsilon (its momentum is the configuration's)");
        }
        if (kind == Kind.ADAM && !(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0
                && epsilon < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("Adam needs betas in [0, 1) and a positive epsilon, got " + beta1 + ", " + beta2
                    + ", " + epsilon);
        }
    }

    /** Adam with the given betas and epsilon (DCGAN's choice: 0.5, 0.999, 1e-8). */
    public static UpdateRule adam(double beta1, double beta2, double epsilon) {
        return new UpdateRule(Kind.ADAM, beta1, beta2, epsilon);
    }

    /**
     * {@code sgd}, or {@code adam} with optional {@code :BETA1,BETA2[,EPSILON]} (defaults 0.5, 0.999, 1e-8).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static UpdateRule parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("sgd")) {
            return SGD;
        }
        if (s.equals("adam")) {
            s = "adam:0.5,0.999";
        }
        if (s.startsWith("adam:")) {
            String[] p = s.substring(5).split(",");
            try {
                if (p.length == 2 || p.length == 3) {
                    return adam(Double.parseDouble(p[0]), Double.parseDouble(p[1]), p.length == 3 ? Double.parseDouble(p[2]) : 1e-8);
                }
            } catch (NumberFormatException e) {
                // reported below with the accepted forms
            }
        }
        throw new IllegalArgumentException("an update rule is sgd, adam or adam:BETA1,BETA2[,EPSILON] (e.g. adam:0.5,0.999), got "
                + text);
    }

    /** A fresh optimizer of this rule with the configuration's schedule (and, for SGD, its momentum ramp). */
    Optimizer optimizer(GanConfig c) {
        return kind == Kind.SGD
                ? new Sgd(c.learningRate(), c.decay(), c.minLearningRate(), c.momentumStart(), c.momentumEnd(),
                        c.rampStartEpoch(), c.rampEndEpoch())
                : new Adam(c.learningRate(), c.decay(), c.minLearningRate(), beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return kind == Kind.SGD ? "sgd" : "adam:" + beta1 + "," + beta2 + "," + epsilon;
    }
}
