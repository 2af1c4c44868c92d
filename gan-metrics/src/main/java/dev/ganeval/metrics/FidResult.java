package dev.ganeval.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Fréchet distance with its parts: {@code value = meanTerm + traceTerm}, where
 * {@code meanTerm = ‖μ1 − μ2‖²} and {@code traceTerm = tr Σ1 + tr Σ2 − 2·tr (Σ1Σ2)^½}.
 *
 * @param rank1 numerical rank of Σ1, or -1 when it was not needed (both covariances full rank)
 * @param rank2 numerical rank of Σ2, or -1 likewise
 * @param route how the trace of the square root was computed (see {@link FrechetDistance.Route})
 * @param warnings conditions a careful user wants to know about (singular covariances, clamped eigenvalues)
 * @param notes    facts about the computation that need no action (features that are constant, e.g. dead units)
 * @param label    what reports call it: {@code FID} on Inception features, {@code FD} on another network's
 */
public record FidResult(double value, double meanTerm, double traceTerm, int dim, long count1, long count2,
                        int rank1, int rank2, FrechetDistance.Route route, List<String> warnings, List<String> notes,
                        String label)
        implements Score {
    public FidResult {
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        java.util.Objects.requireNonNull(label, "label");
    }

    /** As the canonical constructor, labelled FID. */
    public FidResult(double value, double meanTerm, double traceTerm, int dim, long count1, long count2, int rank1, int rank2,
                     FrechetDistance.Route route, List<String> warnings, List<String> notes) {
        this(value, meanTerm, traceTerm, dim, count1, count2, rank1, rank2, route, warnings, notes, "FID");
    }

    /** As the canonical constructor, with no notes. */
    public FidResult(double value, double meanTerm, double traceTerm, int dim, long count1, long count2, int rank1, int rank2,
                     FrechetDistance.Route route, List<String> warnings) {
        this(value, meanTerm, traceTerm, dim, count1, count2, rank1, rank2, route, warnings, List.of());
    }

    @Override
    public String metric() {
        return label;
    }

    /** The two parts of FID: how far the means are apart, and how differently the features spread. */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mean_term", meanTerm);
        d.put("trace_term", traceTerm);
        return d;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dim", dim);
        s.put("n1", count1);
        s.put("n2", count2);
        s.put("route", route.name().toLowerCase(java.util.Locale.ROOT));
        return s;
    }
}
