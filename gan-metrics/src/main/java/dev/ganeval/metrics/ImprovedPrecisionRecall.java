package dev.ganeval.metrics;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Improved precision and recall (Kynkäänniemi et al., NeurIPS 2019) as StyleGAN2-ADA's metric code computes them
 * ({@code pr50k3}): each real point's ball reaches its k-th nearest other real point (k = 3), Euclidean; precision is
 * the share of generated points inside at least one real ball, boundary included ({@code ≤}); recall the share of real
 * points inside at least one generated ball. The same balls as {@link PrecisionRecall}'s precision and recall, which
 * follow the prdc package in leaving the boundary out; the two differ only for points exactly on a boundary (repeated
 * images). {@link #value()} is the precision.
 */
public final class ImprovedPrecisionRecall implements Metric {
    private final int k;
    private final Gemm gemm;

    private ImprovedPrecisionRecall(int k, Gemm gemm) {
        this.k = Checks.positive(k, "k");
        this.gemm = gemm;
    }

    /** k = 3. */
    public static ImprovedPrecisionRecall create() {
        return of(3);
    }

    public static ImprovedPrecisionRecall of(int k) {
        return new ImprovedPrecisionRecall(k, Gemm.defaultGemm());
    }

    @Override
    public String name() {
        return "pr";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    @Override
    public Result compute(MetricInputs inputs) {
        return compute(inputs.realFeatures(), inputs.fakeFeatures());
    }

    /** @throws dev.ganeval.core.InvalidInputException if a side has k rows or fewer, the widths differ or a value is not finite */
    public Result compute(FloatMatrix real, FloatMatrix fake) {
        PrdcResult r = PrecisionRecall.inclusive(k, gemm).compute(real, fake);
        return new Result(r.precision(), r.recall(), k, real.rows(), fake.rows());
    }

    /** Precision and recall with their k and row counts. */
    public record Result(double precision, double recall, int k, int realRows, int fakeRows) implements Score {
        @Override
        public String metric() {
            return "precision/recall";
        }

        @Override
        public double value() {
            return precision;
        }

        @Override
        public Map<String, Object> details() {
            return Map.of("recall", recall);
        }

        @Override
        public String summary() {
            return String.format(java.util.Locale.ROOT, "precision %.4f  recall %.4f", precision, recall);
        }

        @Override
        public Map<String, Object> settings() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("k", k);
            s.put("boundary", "inside (<=), as StyleGAN's code");
            s.put("real", realRows);
            s.put("fake", fakeRows);
            return s;
        }
    }
}
