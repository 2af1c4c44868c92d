package dev.ganeval.metrics.evaluation;

import dev.ganeval.metrics.Score;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One metric's result in a report: the {@link Score} itself, where it came from, and how long it took.
 *
 * @param name    the registry name ({@code fid})
 * @param result  the metric's own result record ({@code FidResult}...), for its typed fields
 * @param seconds time spent in the metric itself (features are timed apart)
 */
public record ReportedScore(String name, Score result, Provenance provenance, double seconds) {
    /**
     * Where a value came from.
     *
     * @param space    what it was computed on, as reports put it in brackets: the network's name ({@code mnist-mlp}),
     *                 {@code pixels}, {@code features} (given), {@code logits} (given) or {@code stats} (files)
     * @param tag      the network, output and preprocessing ({@code onnx:…@sha256:…/pool/pytorch-fid-bilinear-299}), or
     *                 null on pixels and statistics
     * @param protocol the preprocessing ({@code pytorch-fid-bilinear-299}, {@code as-given}, {@code pixels in [0, 1]})
     * @param settings the metric's settings, seeds included
     */
    public record Provenance(String space, String tag, String protocol, Map<String, Object> settings) {
        public Provenance {
            Objects.requireNonNull(space, "space");
            settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        }
    }

    public ReportedScore {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(provenance, "provenance");
    }

    public double value() {
        return result.value();
    }

    /** NaN when the metric has none. */
    public double uncertainty() {
        return result.uncertainty();
    }

    public Map<String, Object> details() {
        return result.details();
    }

    public List<String> warnings() {
        return result.warnings();
    }

    /** How text reports name the value: the metric and what it was computed on, {@code FID[mnist-mlp]}. */
    public String label() {
        return result.metric() + "[" + provenance.space() + "]";
    }
}
