package dev.ganeval.metrics;

import java.util.Objects;

/**
 * Per-sample neighbours of generated samples among real ones in feature space, from an exact search (every pair's
 * distance, through the blocked GEMM, as {@link PrecisionRecall} computes them):
 * <ul>
 *   <li>for each generated sample {@code j}: the index of its nearest real sample, the Euclidean distance to it, and
 *       whether it lies inside some real sample's k-NN ball (precision's test; the ones outside are what precision
 *       counts against);</li>
 *   <li>for each real sample {@code i}: the distance to its nearest <em>other</em> real sample.</li>
 * </ul>
 * Ties go to the lower index. Immutable: the arrays are copied in and out.
 *
 * @param k the k of the balls (precision/recall's)
 */
public record SampleNeighbours(int k, int[] nearestReal, float[] distance, float[] realNeighbourDistance, boolean[] insideRealBall) {
    public SampleNeighbours {
        Objects.requireNonNull(nearestReal, "nearestReal");
        if (distance.length != nearestReal.length || insideRealBall.length != nearestReal.length) {
            throw new IllegalArgumentException("one entry per generated sample in each array");
        }
        nearestReal = nearestReal.clone();
        distance = distance.clone();
        realNeighbourDistance = realNeighbourDistance.clone();
        insideRealBall = insideRealBall.clone();
    }

    @Override
    public int[] nearestReal() {
        return nearestReal.clone();
    }

    @Override
    public float[] distance() {
        return distance.clone();
    }

    @Override
    public float[] realNeighbourDistance() {
        return realNeighbourDistance.clone();
    }

    @Override
    public boolean[] insideRealBall() {
        return insideRealBall.clone();
    }

    public int fakeRows() {
        return nearestReal.length;
    }

    public int realRows() {
        return realNeighbourDistance.length;
    }

    /** Whether generated sample {@code j} is closer to its nearest real sample than that sample is to any other real one. */
    public boolean closerThanRealNeighbour(int j) {
        return distance[j] < realNeighbourDistance[nearestReal[j]];
    }

    /**
     * The memorisation signal: the share of generated samples {@code g} with {@code d(g, r) < d(r, r')}, where {@code r}
     * is g's nearest real sample and {@code r'} is r's nearest other real sample — generated samples that sit closer to a
     * real one than any real sample does. Copies of real samples score 1; samples of the real distribution drawn
     * independently of the real set score well above 0 too (docs/report.md measures it for MNIST), so the figure means
     * something only against that baseline.
     */
    public double memorisationShare() {
        int c = 0;
        for (int j = 0; j < nearestReal.length; j++) {
            if (closerThanRealNeighbour(j)) {
                c++;
            }
        }
        return (double) c / nearestReal.length;
    }

    /** How many generated samples lie outside every real k-NN ball. */
    public int outsideCount() {
        int c = 0;
        for (boolean in : insideRealBall) {
            if (!in) {
                c++;
            }
        }
        return c;
    }
}
