package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.SquaredDistances;

import java.util.Objects;

/**
 * Precision, recall, density and coverage of generated samples against real ones, from k-nearest-neighbour
 * balls in feature space:
 * <ul>
 *   <li>precision: the fraction of fake points inside some real point's ball (radius: distance to its k-th
 *       nearest real neighbour);</li>
 *   <li>recall: the fraction of real points inside some fake point's ball (k-th nearest fake neighbour);</li>
 *   <li>density: {@code (1/k)·} the mean number of real balls (k for density/coverage) holding each fake point;</li>
 *   <li>coverage: the fraction of real points whose nearest fake point lies inside their ball.</li>
 * </ul>
 * "Inside" is strict ({@code <}), and a point's own zero distance counts as its first neighbour, as in the
 * reference implementation ({@code prdc}). Distances come from the blocked GEMM; memory stays bounded.
 */
public final class PrecisionRecall implements Metric {
    /** {@code prdc}: on the feature rows of both sides. */
    @Override
    public String name() {
        return "prdc";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    @Override
    public PrdcResult compute(MetricInputs inputs) {
        return compute(inputs.realFeatures(), inputs.fakeFeatures());
    }

    private final int kPr;
    private final int kDc;
    private final Gemm gemm;
    /** A point on a ball's boundary is inside ({@code ≤}, StyleGAN's code) rather than outside ({@code <}, prdc's). */
    private final boolean inclusive;

    private PrecisionRecall(int kPr, int kDc, Gemm gemm, boolean inclusive) {
        this.kPr = kPr;
        this.kDc = kDc;
        this.gemm = gemm;
        this.inclusive = inclusive;
    }

    /** k = 3 for precision/recall, k = 5 for density/coverage. */
    public static PrecisionRecall create() {
        return new PrecisionRecall(3, 5, Gemm.defaultGemm(), false);
    }

    public static PrecisionRecall of(int kPrecisionRecall, int kDensityCoverage) {
        return new PrecisionRecall(Checks.positive(kPrecisionRecall, "k for precision/recall"),
                Checks.positive(kDensityCoverage, "k for density/coverage"), Gemm.defaultGemm(), false);
    }

    /** Precision and recall with balls that hold their boundary, as StyleGAN's metric code tests them ({@link ImprovedPrecisionRecall}). */
    static PrecisionRecall inclusive(int k, Gemm gemm) {
        return new PrecisionRecall(Checks.positive(k, "k"), Checks.positive(k, "k"), gemm, true);
    }

    public PrecisionRecall withGemm(Gemm gemm) {
        return new PrecisionRecall(kPr, kDc, Objects.requireNonNull(gemm, "gemm"), inclusive);
    }

    /**
     * @throws InvalidInputException if either set has no more rows than the largest k, the dimensions differ or
     *     a value is not finite
     */
    public PrdcResult compute(FloatMatrix real, FloatMatrix fake) {
        int kMax = Math.max(kPr, kDc);
        Checks.samples(real, "real features", kMax + 1);
        Checks.samples(fake, "fake features", kPr + 1);
        Checks.sameDim(real, "real features", fake, "fake features");
        int nr = real.rows();
        int nf = fake.rows();
        float[] realPr = kthNeighbour(real, kPr);
        float[] realDc = kPr == kDc ? realPr : kthNeighbour(real, kDc);
        float[] fakePr = kthNeighbour(fake, kPr);

        boolean[] fakeInReal = new boolean[nf];
        int[] ballsHolding = new int[nf];
        SquaredDistances.forEachRow(gemm, fake, real, (j, dist, off) -> {
            boolean in = false;
            int count = 0;
            for (int i = 0; i < nr; i++) {
                float v = dist[off + i];
                in |= v < realPr[i] || inclusive && v == realPr[i];
                if (v < realDc[i]) {
                    count++;
                }
            }
            fakeInReal[j] = in;
            ballsHolding[j] = count;
        });
        boolean[] realInFake = new boolean[nr];
        boolean[] covered = new boolean[nr];
        SquaredDistances.forEachRow(gemm, real, fake, (i, dist, off) -> {
            boolean in = false;
            float nearest = Float.POSITIVE_INFINITY;
            for (int j = 0; j < nf; j++) {
                float v = dist[off + j];
                in |= v < fakePr[j] || inclusive && v == fakePr[j];
                nearest = Math.min(nearest, v);
            }
            realInFake[i] = in;
            covered[i] = nearest < realDc[i];
        });
        double density = 0;
        for (int c : ballsHolding) {
            density += c;
        }
        density /= (double) kDc * nf;
        return new PrdcResult(fraction(fakeInReal), fraction(realInFake), density, fraction(covered), kPr, kDc, nr, nf);
    }

    private static double fraction(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            if (v) {
                c++;
            }
        }
        return (double) c / b.length;
    }

    /** Squared distance from each row to its k-th nearest row of the same set, the row itself being the 0th. */
    private float[] kthNeighbour(FloatMatrix x, int k) {
        int n = x.rows();
        float[] out = new float[n];
        SquaredDistances.forEachRow(gemm, x, x, (i, dist, off) -> {
            // The k+1 smallest, kept sorted by insertion (k is small).
            float[] best = new float[k + 1];
            java.util.Arrays.fill(best, Float.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                float v = j == i ? 0f : dist[off + j];
                if (v < best[k]) {
                    int p = k;
                    while (p > 0 && best[p - 1] > v) {
                        best[p] = best[p - 1];
                        p--;
                    }
                    best[p] = v;
                }
            }
            out[i] = best[k];
        });
        return out;
    }
}
