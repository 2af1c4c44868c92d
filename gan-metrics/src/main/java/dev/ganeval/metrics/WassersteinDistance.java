package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link Wasserstein} estimates as registered metrics on the feature rows of both sides: one class, one
 * {@link Method} each ({@code wasserstein} is the sliced one, which scales to any sample count and dimension;
 * {@code wasserstein-exact} solves the transport problem, for up to a few thousand rows; {@code wasserstein-sinkhorn}
 * is entropic and biased by its regulariser; {@code wasserstein-gaussian} is W2 between Gaussian fits, the square root
 * of FID).
 */
public final class WassersteinDistance implements Metric {
    /** Which estimate. */
    public enum Method {
        SLICED, EXACT, SINKHORN, GAUSSIAN;

        /** The registry name: {@code wasserstein} for the sliced estimate, {@code wasserstein-exact}... otherwise. */
        public String metricName() {
            return this == SLICED ? "wasserstein" : "wasserstein-" + name().toLowerCase(Locale.ROOT);
        }
    }

    private final Method method;
    private final int p;
    private final int projections;
    private final long seed;
    private final double reg;

    private WassersteinDistance(Method method, int p, int projections, long seed, double reg) {
        this.method = method;
        this.p = p;
        this.projections = projections;
        this.seed = seed;
        this.reg = reg;
    }

    /**
     * @param p           1 or 2 (the Gaussian estimate is W2 only)
     * @param projections directions of the sliced estimate
     * @param seed        seed of the sliced estimate's directions
     * @param reg         the Sinkhorn regulariser
     * @throws InvalidInputException for a p, projection count or regulariser out of range
     */
    public static WassersteinDistance of(Method method, int p, int projections, long seed, double reg) {
        Objects.requireNonNull(method, "method");
        if (p != 1 && p != 2) {
            throw new InvalidInputException("the Wasserstein order p must be 1 or 2, got " + p);
        }
        if (method == Method.GAUSSIAN && p != 2) {
            throw new InvalidInputException("the Gaussian closed form is W2 only, got p = " + p);
        }
        Checks.positive(projections, "projections");
        if (!(reg > 0) || !Double.isFinite(reg)) {
            throw new InvalidInputException("the Sinkhorn regulariser must be positive and finite, got " + reg);
        }
        return new WassersteinDistance(method, p, projections, seed, reg);
    }

    /** The sliced W2 with 50 directions, as {@code ganeval score --metrics wasserstein} has always computed it. */
    public static WassersteinDistance sliced(long seed) {
        return of(Method.SLICED, 2, 50, seed, 1);
    }

    @Override
    public String name() {
        return method.metricName();
    }

    @Override
    public Set<Input> inputs() {
        return EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    @Override
    public WassersteinResult compute(MetricInputs inputs) {
        FloatMatrix x = inputs.realFeatures();
        FloatMatrix y = inputs.fakeFeatures();
        return switch (method) {
            case SLICED -> Wasserstein.sliced(x, y, p, projections, seed);
            case EXACT -> Wasserstein.exact(x, y, p);
            case SINKHORN -> Wasserstein.sinkhorn(x, null, y, null, p, reg, 10_000, 1e-9);
            case GAUSSIAN -> Wasserstein.gaussian(x, y);
        };
    }
}
