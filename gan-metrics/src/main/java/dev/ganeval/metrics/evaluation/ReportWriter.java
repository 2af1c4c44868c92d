package dev.ganeval.metrics.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link EvaluationReport}: {@link #text} for people, {@link #json} for machines, in the schema
 * {@value #SCHEMA} (docs/schema/ganeval.score-2.schema.json).
 */
public final class ReportWriter {
    /** The JSON schema's name and version; a change to the shape changes the version. */
    public static final String SCHEMA = "ganeval.score/2";

    private ReportWriter() {}

    /** One line a score, {@code FID[mnist-mlp]               2.0800}, then the time. */
    public static String text(EvaluationReport r) {
        // One column for the labels, as wide as the longest (at least 28), so a long one does not break the table.
        int width = 28;
        for (ReportedScore s : r.scores()) {
            width = Math.max(width, s.label().length());
        }
        String row = "%-" + width + "s %s%n";
        StringBuilder sb = new StringBuilder();
        for (ReportedScore s : r.scores()) {
            sb.append(String.format(Locale.ROOT, row, s.label(), s.result().summary()));
        }
        sb.append(String.format(Locale.ROOT, "%-" + width + "s %.1f s%n", "time", r.seconds()));
        return sb.toString();
    }

    /** The report as a JSON object in the {@value #SCHEMA} schema. */
    public static String json(EvaluationReport r) {
        return Json.write(toMap(r));
    }

    /** The JSON's tree, for callers that add to it. */
    public static Map<String, Object> toMap(EvaluationReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("tool_version", r.toolVersion());
        List<Object> inputs = new ArrayList<>();
        for (EvaluationReport.Input in : r.inputs()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("side", in.side());
            i.put("source", in.source());
            i.put("kind", in.kind());
            i.put("samples", in.samples() < 0 ? null : in.samples());
            i.put("sha256", in.sha256());
            i.put("hash_of", in.hashOf());
            inputs.add(i);
        }
        m.put("inputs", inputs);
        m.put("network", r.network());
        m.put("features", r.featureTag());
        m.put("logits", r.logitsTag());
        m.put("protocol", r.protocol());
        m.put("device", r.device());
        List<Object> results = new ArrayList<>();
        for (ReportedScore s : r.scores()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("metric", s.name());
            e.put("name", s.result().metric());
            e.put("space", s.provenance().space());
            e.put("value", s.value());
            e.put("uncertainty", s.uncertainty());
            e.put("details", new LinkedHashMap<>(s.details()));
            e.put("settings", new LinkedHashMap<>(s.provenance().settings()));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("tag", s.provenance().tag());
            p.put("protocol", s.provenance().protocol());
            e.put("provenance", p);
            e.put("warnings", s.warnings());
            e.put("notes", s.result().notes());
            e.put("seconds", s.seconds());
            results.add(e);
        }
        m.put("results", results);
        m.put("warnings", r.warnings());
        m.put("seconds", r.seconds());
        m.put("timings", new LinkedHashMap<>(r.timings()));
        return m;
    }
}
