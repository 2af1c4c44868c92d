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
        return compute(real, fake, false).result();
    }

    /** A {@link PrdcResult} with the per-sample neighbours found in the same passes over the distances. */
    public record Outcome(PrdcResult result, SampleNeighbours neighbours) {
    }

    /**
     * The scores and, from the same distances at no extra pass, each generated sample's nearest real sample, whether it
     * lies in some real ball, and each real sample's nearest-other-real distance ({@link SampleNeighbours}).
     *
     * @throws InvalidInputException as {@link #compute(FloatMatrix, FloatMatrix)}
     */
    public Outcome computeWithNeighbours(FloatMatrix real, FloatMatrix fake) {
        return compute(real, fake, true);
    }

    /**
     * The per-sample neighbours alone (two of {@link #compute(FloatMatrix, FloatMatrix)}'s three distance passes: real
     * against real, generated against real), for when the scores are not asked for.
     *
     * @throws InvalidInputException if the real set has no more rows than k (precision/recall's), the generated set is
     *     empty, the dimensions differ or a value is not finite
     */
    public SampleNeighbours neighbours(FloatMatrix real, FloatMatrix fake) {
        Checks.samples(real, "real features", kPr + 1);
        Checks.samples(fake, "fake features", 1);
        Checks.sameDim(real, "real features", fake, "fake features");
        Radii radii = neighbourDistances(real, kPr, kPr);
        FakeSide f = fakeAgainstReal(real, fake, radii.first(), radii.first(), true);
        return f.neighbours(kPr, real, fake, radii.nearest());
    }

    private Outcome compute(FloatMatrix real, FloatMatrix fake, boolean keepNeighbours) {
        int kMax = Math.max(kPr, kDc);
        Checks.samples(real, "real features", kMax + 1);
        Checks.samples(fake, "fake features", kPr + 1);
        Checks.sameDim(real, "real features", fake, "fake features");
        int nr = real.rows();
        int nf = fake.rows();
        Radii radii = neighbourDistances(real, kPr, kDc);
        float[] realPr = radii.first();
        float[] realDc = radii.second();
        float[] fakePr = neighbourDistances(fake, kPr, kPr).first();
        FakeSide f = fakeAgainstReal(real, fake, realPr, realDc, keepNeighbours);
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
        for (int c : f.ballsHolding) {
            density += c;
        }
        density /= (double) kDc * nf;
        PrdcResult result = new PrdcResult(fraction(f.inReal), fraction(realInFake), density, fraction(covered), kPr, kDc, nr, nf);
        return new Outcome(result, keepNeighbours ? f.neighbours(kPr, real, fake, radii.nearest()) : null);
    }

    /** What the pass of the generated rows against the real ones found, per generated row. */
    private record FakeSide(boolean[] inReal, int[] ballsHolding, int[] nearest, float[] nearestSquared) {
        /**
         * The neighbours, their distances computed again directly from the two rows in float64: the GEMM's
         * {@code ‖a‖² + ‖b‖² − 2a·b} loses the small distances to cancellation (a copy of a real row would be 1e-3 away,
         * not 0), while which row is nearest is decided on all the GEMM's distances.
         */
        SampleNeighbours neighbours(int k, FloatMatrix real, FloatMatrix fake, int[] realNearest) {
            float[] d = new float[nearest.length];
            for (int j = 0; j < d.length; j++) {
                d[j] = direct(fake, j, real, nearest[j]);
            }
            float[] r = new float[realNearest.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = direct(real, i, real, realNearest[i]);
            }
            return new SampleNeighbours(k, nearest, d, r, inReal);
        }
    }

    /** The Euclidean distance of two rows, summed in float64. */
    private static float direct(FloatMatrix a, int i, FloatMatrix b, int j) {
        float[] x = a.data();
        float[] y = b.data();
        int d = a.cols();
        double s = 0;
        for (int c = 0; c < d; c++) {
            double t = (double) x[i * d + c] - y[j * d + c];
            s += t * t;
        }
        return (float) Math.sqrt(s);
    }

    /**
     * Each generated row against every real one: inside some real precision ball, the number of density balls holding
     * it, and (when asked) its nearest real row and squared distance, ties to the lower index.
     */
    private FakeSide fakeAgainstReal(FloatMatrix real, FloatMatrix fake, float[] realPr, float[] realDc, boolean keepNearest) {
        int nr = real.rows();
        int nf = fake.rows();
        boolean[] fakeInReal = new boolean[nf];
        int[] ballsHolding = new int[nf];
        int[] nearest = keepNearest ? new int[nf] : null;
        float[] nearestSquared = keepNearest ? new float[nf] : null;
        SquaredDistances.forEachRow(gemm, fake, real, (j, dist, off) -> {
            boolean in = false;
            int count = 0;
            int best = 0;
            float bestD = Float.POSITIVE_INFINITY;
            for (int i = 0; i < nr; i++) {
                float v = dist[off + i];
                in |= v < realPr[i] || inclusive && v == realPr[i];
                if (v < realDc[i]) {
                    count++;
                }
                if (v < bestD) {
                    bestD = v;
                    best = i;
                }
            }
            fakeInReal[j] = in;
            ballsHolding[j] = count;
            if (keepNearest) {
                nearest[j] = best;
                nearestSquared[j] = bestD;
            }
        });
        return new FakeSide(fakeInReal, ballsHolding, nearest, nearestSquared);
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

    /** Squared distances to the k1-th and k2-th nearest rows of the same set, and each row's nearest other row. */
    private record Radii(float[] first, float[] second, int[] nearest) {
    }

    /**
     * Squared distances from each row to its {@code k1}-th and {@code k2}-th nearest rows of the same set, the row itself
     * being the 0th, and the index of its nearest other row (ties to the lower index), in one pass.
     */
    private Radii neighbourDistances(FloatMatrix x, int k1, int k2) {
        int n = x.rows();
        int k = Math.max(k1, k2);
        float[] out1 = new float[n];
        float[] out2 = k2 == k1 ? out1 : new float[n];
        int[] nearest = new int[n];
        SquaredDistances.forEachRow(gemm, x, x, (i, dist, off) -> {
            // The k+1 smallest, kept sorted by insertion (k is small).
            float[] best = new float[k + 1];
            java.util.Arrays.fill(best, Float.POSITIVE_INFINITY);
            int near = i == 0 ? 1 : 0;
            float nearD = Float.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                float v = j == i ? 0f : dist[off + j];
                if (j != i && v < nearD) {
                    nearD = v;
                    near = j;
                }
                if (v < best[k]) {
                    int p = k;
                    while (p > 0 && best[p - 1] > v) {
                        best[p] = best[p - 1];
                        p--;
                    }
                    best[p] = v;
                }
            }
            out1[i] = best[k1];
            out2[i] = best[k2];
            nearest[i] = near;
        });
        return new Radii(out1, out2, nearest);
    }
}
