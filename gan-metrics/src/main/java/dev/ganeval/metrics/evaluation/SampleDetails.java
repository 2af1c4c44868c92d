package dev.ganeval.metrics.evaluation;

import dev.ganeval.metrics.SampleNeighbours;

/**
 * What an {@link Evaluation} asked for {@link Evaluation.Builder#sampleDetails() sample details} keeps besides the
 * scores, for a report to show the samples behind them (dev.ganeval.metrics.report). Each part is null where the inputs
 * cannot give it, and the reason is then in {@link #missing()}.
 *
 * @param realImages the real samples as pictures, or null (statistics, features, or not read)
 * @param fakeImages the generated samples as pictures, or null (features or logits given)
 * @param neighbours each generated sample's nearest real sample in feature space and whether it lies in some real
 *                   k-NN ball (PRDC's k, from PRDC's own distances when prdc was scored), or null without feature rows
 *                   of both sides
 * @param classes    the classifier's class counts of each side, or null when the network gives no class logits
 * @param missing    one line for each part that is null, saying why
 */
public record SampleDetails(SampleImages realImages, SampleImages fakeImages, SampleNeighbours neighbours,
                            ClassHistogram classes, java.util.List<String> missing) {
    public SampleDetails {
        missing = java.util.List.copyOf(missing);
    }
}
