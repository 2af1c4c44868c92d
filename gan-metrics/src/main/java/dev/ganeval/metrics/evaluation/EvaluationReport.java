package dev.ganeval.metrics.evaluation;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What an {@link Evaluation} found: its inputs, the network, every score with its provenance, the warnings raised on
 * the way and the time each step took. Immutable; {@link ReportWriter} renders it as text or JSON.
 *
 * @param toolVersion the ganeval version that computed it
 * @param network     the feature network's name, {@code pixels} when every metric scored the samples themselves, or
 *                    {@code stats} when both sides were statistics
 * @param featureTag  the features' network, output and preprocessing, or null when none ran
 * @param logitsTag   the same for the class logits, or null
 * @param protocol    the preprocessing, or null when no network ran
 * @param device      where ONNX Runtime ran ({@code cpu}, {@code cuda}, {@code cuda+cpu}), or null when it did not run
 * @param timings     seconds by step: {@code load}, {@code read} (decoding or drawing), {@code features}, each metric
 * @param seconds     the whole run
 * @param sampleDetails what the samples behind the scores look like, when the evaluation was asked to keep it
 *                    ({@link Evaluation.Builder#sampleDetails()}), else null; not part of the JSON
 */
public record EvaluationReport(String toolVersion, List<Input> inputs, String network, String featureTag, String logitsTag,
                               String protocol, String device, List<ReportedScore> scores, List<String> warnings,
                               Map<String, Double> timings, double seconds, SampleDetails sampleDetails) {
    /** A report without sample details. */
    public EvaluationReport(String toolVersion, List<Input> inputs, String network, String featureTag, String logitsTag,
                            String protocol, String device, List<ReportedScore> scores, List<String> warnings,
                            Map<String, Double> timings, double seconds) {
        this(toolVersion, inputs, network, featureTag, logitsTag, protocol, device, scores, warnings, timings, seconds, null);
    }

    /**
     * One side as it was scored.
     *
     * @param side    {@code real} or {@code fake}
     * @param source  what it was: a path, a data set name, a generator and its settings
     * @param kind    {@code samples} or {@code statistics}
     * @param samples the rows scored (after any limit), or the statistics' row count (-1 when a file does not say)
     * @param sha256  SHA-256 of what the metrics were computed from, as {@code hashOf} says: the feature rows and logits
     *                in the order read (little-endian float32) when a network ran, else the pixels, or a statistics
     *                file's mean and covariance; equal hashes mean the same numbers went in
     * @param hashOf  what {@code sha256} covers
     */
    public record Input(String side, String source, String kind, long samples, String sha256, String hashOf) {
    }

    public EvaluationReport {
        inputs = List.copyOf(inputs);
        scores = List.copyOf(scores);
        warnings = List.copyOf(warnings);
        timings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timings));
    }

    /**
     * The score of the metric registered as {@code name}.
     *
     * @throws NoSuchElementException when the evaluation did not compute it
     */
    public ReportedScore score(String name) {
        Objects.requireNonNull(name, "name");
        for (ReportedScore s : scores) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new NoSuchElementException("no score '" + name + "' in this report; it has "
                + scores.stream().map(ReportedScore::name).toList());
    }

    /** The ganeval version, from the build ({@code 0.1.0-SNAPSHOT}). */
    public static String currentToolVersion() {
        try (java.io.InputStream in = EvaluationReport.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version");
            if (v == null || v.startsWith("${")) {
                throw new IllegalStateException("gan-metrics was built without its version.properties; rebuild with Maven");
            }
            return v;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read gan-metrics' version.properties", e);
        }
    }
}
