package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FID∞: the intercept of the least-squares line {@code FID(N) ≈ value + slope/N} through the points
 * ({@code sampleCounts[i]}, {@code fids[i]}), i.e. the FID extrapolated to infinitely many generated samples.
 * The value is a prediction, not a distance, and may be slightly negative when the true FID is near 0.
 *
 * @param value the fit's intercept, FID at {@code 1/N = 0}
 * @param slope the fit's slope against {@code 1/N} (the bias of FID at N is about {@code slope/N})
 * @param r2 the fit's coefficient of determination {@code 1 − SS_res/SS_tot} (1 when all FIDs are equal); low when
 *     the noise of the points is large against the bias they show
 * @param sampleCounts the N of each point, ascending
 * @param fids the FID of each point
 * @param minSamples the smallest N asked for
 * @param seed the seed of the fake rows' shuffle (meaningless when {@code inOrder})
 * @param inOrder whether the fake rows were taken as given, without a shuffle
 * @param realRows rows behind the real statistics, or {@link GaussianStats#UNKNOWN_COUNT}
 * @param warnings the points' FID warnings (e.g. singular covariances), each prefixed by its N, without repeats
 */
public record FidInfinityResult(double value, double slope, double r2, int[] sampleCounts, double[] fids,
                                int minSamples, long seed, boolean inOrder, int dim, long realRows, int fakeRows,
                                List<String> warnings) implements Score {
    public FidInfinityResult {
        if (sampleCounts.length != fids.length) {
            throw new IllegalArgumentException(sampleCounts.length + " sample counts but " + fids.length + " FIDs");
        }
        sampleCounts = sampleCounts.clone();
        fids = fids.clone();
        warnings = List.copyOf(warnings);
    }

    @Override
    public String metric() {
        return "FID∞";
    }

    /** The fit and its points, so a reader can redraw the line. */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("slope", slope);
        d.put("r2", r2);
        List<Object> pts = new java.util.ArrayList<>();
        for (int i = 0; i < fids.length; i++) {
            Map<String, Object> point = new java.util.LinkedHashMap<>();
            point.put("n", sampleCounts[i]);
            point.put("fid", fids[i]);
            pts.add(point);
        }
        d.put("points", pts);
        return d;
    }

    /** The fit's intercept: the same number as {@link #value()}. */
    public double intercept() {
        return value;
    }

    /** How many points the line was fitted to. */
    public int points() {
        return fids.length;
    }

    /** A copy of the N of each point. */
    @Override
    public int[] sampleCounts() {
        return sampleCounts.clone();
    }

    /** A copy of the FID of each point. */
    @Override
    public double[] fids() {
        return fids.clone();
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("points", fids.length);
        s.put("min_samples", minSamples);
        s.put("seed", inOrder ? "in order" : seed);
        s.put("dim", dim);
        s.put("real_rows", realRows);
        s.put("fake_rows", fakeRows);
        return s;
    }
}
