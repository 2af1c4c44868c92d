package dev.ganeval.metrics;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.SquaredDistances;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * CMMD (Jayasumana et al., CVPR 2024, "Rethinking FID"): the maximum mean discrepancy between real and generated
 * embeddings under a Gaussian RBF kernel {@code k(a, b) = exp(−‖a − b‖² / (2σ²))}, σ = 10, scaled by 1,000 — on CLIP
 * ViT-L/14@336px embeddings, L2-normalised, in the paper. The estimator is the reference code's ({@code cmmd/distance.py}
 * in google-research): the biased V-statistic {@code mean k(x, x') + mean k(y, y') − 2·mean k(x, y)} over all pairs,
 * each point's pair with itself included, so the value is never negative and is 0 for identical sets.
 *
 * <p>Computed from the three blocked distance matrices (float32 GEMM, {@code ‖a‖² + ‖b‖² − 2a·b} as the reference
 * expands it), each kernel value as {@code expm1(−γd)} in float64 and summed in float64: the three means are each near
 * 1 and their combination is about 1,000 times smaller, so summing {@code k − 1} keeps the digits the difference needs.
 */
public final class Cmmd implements Metric {
    /** The paper's bandwidth. */
    public static final double SIGMA = 10;
    /** The paper's scale. */
    public static final double SCALE = 1000;

    private final double sigma;
    private final double scale;
    private final Gemm gemm;

    private Cmmd(double sigma, double scale, Gemm gemm) {
        this.sigma = sigma;
        this.scale = scale;
        this.gemm = gemm;
    }

    /** σ = 10, scale 1,000. */
    public static Cmmd create() {
        return of(SIGMA, SCALE);
    }

    public static Cmmd of(double sigma, double scale) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new dev.ganeval.core.InvalidInputException("sigma must be a positive number, got " + sigma);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new dev.ganeval.core.InvalidInputException("scale must be a positive number, got " + scale);
        }
        return new Cmmd(sigma, scale, Gemm.defaultGemm());
    }

    public Cmmd withGemm(Gemm gemm) {
        return new Cmmd(sigma, scale, Objects.requireNonNull(gemm, "gemm"));
    }

    @Override
    public String name() {
        return "cmmd";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    @Override
    public Result compute(MetricInputs inputs) {
        return compute(inputs.realFeatures(), inputs.fakeFeatures());
    }

    /**
     * @throws dev.ganeval.core.InvalidInputException if a side has no rows, the widths differ or a value is not finite
     */
    public Result compute(FloatMatrix real, FloatMatrix fake) {
        Checks.samples(real, "real features", 1);
        Checks.samples(fake, "fake features", 1);
        Checks.sameDim(real, "real features", fake, "fake features");
        double gamma = 1 / (2 * sigma * sigma);
        double xx = meanKernelMinusOne(real, real, gamma);
        double yy = meanKernelMinusOne(fake, fake, gamma);
        double xy = meanKernelMinusOne(real, fake, gamma);
        // The ones cancel exactly: (1 + xx) + (1 + yy) − 2(1 + xy).
        return new Result(scale * (xx + yy - 2 * xy), sigma, scale, real.rows(), fake.rows());
    }

    /** {@code mean over all pairs of exp(−γ‖a − b‖²) − 1}. */
    private double meanKernelMinusOne(FloatMatrix a, FloatMatrix b, double gamma) {
        int n = b.rows();
        // Each row's sum on its own, added in row order after: the same bits for any thread timing.
        double[] rowSums = new double[a.rows()];
        SquaredDistances.forEachRow(gemm, a, b, (row, d, off) -> {
            double s = 0;
            for (int j = off, end = off + n; j < end; j++) {
                s += expm1Neg(gamma * d[j]);
            }
            rowSums[row] = s;
        });
        double sum = 0;
        for (double s : rowSums) {
            sum += s;
        }
        return sum / ((double) a.rows() * n);
    }

    /**
     * {@code exp(−t) − 1} for {@code t ≥ 0}: below 1/2 (every pair of L2-normalised embeddings at σ = 10 has t ≤ 0.02)
     * the Taylor series to the 14th power in nested form, whose truncation is below 1e-16 of the value there, a few
     * multiply-adds instead of {@link Math#expm1}'s call; above, {@link Math#expm1}.
     */
    static double expm1Neg(double t) {
        if (!(t < 0.5)) {
            return Math.expm1(-t);
        }
        double p = 1 - t * INVERSES[14];
        for (int k = 13; k >= 2; k--) {
            p = 1 - t * INVERSES[k] * p;
        }
        return -t * p;
    }

    /** {@code 1/k}, so that the series needs no division. */
    private static final double[] INVERSES = new double[15];

    static {
        for (int k = 1; k < INVERSES.length; k++) {
            INVERSES[k] = 1.0 / k;
        }
    }

    /** CMMD with its kernel's settings and the row counts. */
    public record Result(double value, double sigma, double scale, int realRows, int fakeRows) implements Score {
        @Override
        public String metric() {
            return "CMMD";
        }

        @Override
        public Map<String, Object> settings() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("sigma", sigma);
            s.put("scale", scale);
            s.put("estimator", "biased (V-statistic, pairs with itself included), as the reference code");
            s.put("real", realRows);
            s.put("fake", fakeRows);
            return s;
        }
    }
}
