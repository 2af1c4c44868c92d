package dev.ganeval.metrics;

import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-sample neighbours against a brute-force search in float64 over every pair. */
class SampleNeighboursTest {
    private static FloatMatrix gaussian(Random r, int n, int d, double shift) {
        FloatMatrix m = new FloatMatrix(n, d);
        for (int i = 0; i < n * d; i++) {
            m.data()[i] = (float) (r.nextGaussian() + shift);
        }
        return m;
    }

    private static double dist(FloatMatrix a, int i, FloatMatrix b, int j) {
        double s = 0;
        for (int c = 0; c < a.cols(); c++) {
            double t = (double) a.get(i, c) - b.get(j, c);
            s += t * t;
        }
        return Math.sqrt(s);
    }

    @Property(tries = 40)
    void theNearestRealSampleIsTheOneABruteForceSearchFinds(@ForAll @IntRange(min = 4, max = 120) int nReal,
                                                          @ForAll @IntRange(min = 1, max = 120) int nFake,
                                                          @ForAll @IntRange(min = 1, max = 40) int d,
                                                          @ForAll @IntRange(min = 0, max = 100_000) int seed) {
        Random r = new Random(seed);
        FloatMatrix real = gaussian(r, nReal, d, 0);
        FloatMatrix fake = gaussian(r, nFake, d, 0.3);
        int k = 3;
        SampleNeighbours nb = PrecisionRecall.of(k, 5).neighbours(real, fake);
        assertEquals(nFake, nb.fakeRows());
        assertEquals(nReal, nb.realRows());
        // float32 GEMM distances against float64 ones: a tolerance relative to the distances' scale.
        double tol = 1e-3 * Math.sqrt(d);
        int closer = 0;
        for (int j = 0; j < nFake; j++) {
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < nReal; i++) {
                best = Math.min(best, dist(fake, j, real, i));
            }
            int found = nb.nearestReal()[j];
            assertTrue(dist(fake, j, real, found) <= best + tol, "row " + j + ": found " + found + " at "
                    + dist(fake, j, real, found) + ", the nearest is at " + best);
            assertEquals(best, nb.distance()[j], tol, "distance of row " + j);
            // The distance shown is the found pair's own, to float32's precision.
            assertEquals(dist(fake, j, real, found), nb.distance()[j], 1e-6 * (1 + best), "distance of row " + j);
            // Inside some real ball: closer to a real sample than its k-th nearest real neighbour.
            boolean inside = false;
            double margin = Double.POSITIVE_INFINITY;
            for (int i = 0; i < nReal; i++) {
                double[] others = new double[nReal];
                for (int i2 = 0; i2 < nReal; i2++) {
                    others[i2] = i2 == i ? 0 : dist(real, i, real, i2);
                }
                Arrays.sort(others);
                double gap = dist(fake, j, real, i) - others[k];
                inside |= gap < 0;
                margin = Math.min(margin, Math.abs(gap));
            }
            if (margin > tol) { // a sample on a ball's edge may go either way in float32
                assertEquals(inside, nb.insideRealBall()[j], "row " + j);
            }
            if (nb.closerThanRealNeighbour(j)) {
                closer++;
            }
        }
        for (int i = 0; i < nReal; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int i2 = 0; i2 < nReal; i2++) {
                if (i2 != i) {
                    best = Math.min(best, dist(real, i, real, i2));
                }
            }
            assertEquals(best, nb.realNeighbourDistance()[i], tol, "real row " + i);
            // Zero only for rows that coincide (two float32 draws can, rarely, when d = 1).
            assertTrue(nb.realNeighbourDistance()[i] > 0 || best == 0, "real row " + i + ": distance 0 to a distinct row");
        }
        assertEquals((double) closer / nFake, nb.memorisationShare(), 0);
    }

    @Property(tries = 15)
    void prdcGivesTheSameScoresWithTheNeighboursAndTheSameNeighboursAsTheSearchAlone(
            @ForAll @IntRange(min = 0, max = 100_000) int seed, @ForAll @IntRange(min = 1, max = 6) int kPr,
            @ForAll @IntRange(min = 1, max = 6) int kDc) {
        Random r = new Random(seed);
        FloatMatrix real = gaussian(r, 60, 7, 0);
        FloatMatrix fake = gaussian(r, 50, 7, 0.5);
        PrecisionRecall pr = PrecisionRecall.of(kPr, kDc);
        PrecisionRecall.Outcome o = pr.computeWithNeighbours(real, fake);
        assertEquals(pr.compute(real, fake), o.result());
        SampleNeighbours alone = pr.neighbours(real, fake);
        assertArrayEquals(alone.nearestReal(), o.neighbours().nearestReal());
        assertArrayEquals(alone.distance(), o.neighbours().distance());
        assertArrayEquals(alone.realNeighbourDistance(), o.neighbours().realNeighbourDistance());
        assertArrayEquals(alone.insideRealBall(), o.neighbours().insideRealBall());
        // Precision is the share inside some ball: the samples outside are exactly what it counts against.
        assertEquals(o.result().precision(), 1 - (double) o.neighbours().outsideCount() / fake.rows(), 1e-12);
    }

    @Test
    void copiesOfRealSamplesAreAllCloserThanAnyRealNeighbour() {
        Random r = new Random(7);
        FloatMatrix real = gaussian(r, 50, 5, 0);
        FloatMatrix fake = real.rowRange(10, 30);
        SampleNeighbours nb = PrecisionRecall.create().neighbours(real, fake);
        assertEquals(1.0, nb.memorisationShare());
        for (int j = 0; j < 20; j++) {
            assertEquals(10 + j, nb.nearestReal()[j]);
            assertEquals(0f, nb.distance()[j]);
        }
        assertEquals(0, nb.outsideCount());
    }

    @Test
    void theRecordCannotBeChangedThroughItsArrays() {
        SampleNeighbours nb = new SampleNeighbours(3, new int[] {0}, new float[] {1f}, new float[] {2f, 3f}, new boolean[] {true});
        nb.nearestReal()[0] = 1;
        nb.distance()[0] = 9f;
        nb.insideRealBall()[0] = false;
        assertEquals(0, nb.nearestReal()[0]);
        assertEquals(1f, nb.distance()[0]);
        assertTrue(nb.insideRealBall()[0]);
    }
}
