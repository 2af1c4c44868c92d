package dev.ganeval.core.linalg;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SquaredDistancesTest {

    @Property(tries = 30)
    void blocksMatchDirectDistances(@ForAll @IntRange(min = 1, max = 60) int nq, @ForAll @IntRange(min = 1, max = 60) int nr,
                                    @ForAll @IntRange(min = 1, max = 50) int d, @ForAll @IntRange(min = 1, max = 17) int block) {
        Random rnd = new Random(nq * 1000L + nr * 10L + d);
        FloatMatrix q = new FloatMatrix(nq, d, GemmTest.random(rnd, nq * d));
        FloatMatrix r = new FloatMatrix(nr, d, GemmTest.random(rnd, nr * d));
        int[] seen = new int[nq];
        SquaredDistances.forEachBlock(Gemm.defaultGemm(), q, r, block, (start, rows, dist) -> {
            for (int i = 0; i < rows; i++) {
                seen[start + i]++;
                for (int j = 0; j < nr; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        double diff = q.get(start + i, k) - r.get(j, k);
                        s += diff * diff;
                    }
                    assertEquals(s, dist[i * nr + j], 1e-5 * (1 + s));
                    assertEquals(true, dist[i * nr + j] >= 0f);
                }
            }
        });
        for (int s : seen) {
            assertEquals(1, s, "every query row is delivered exactly once");
        }
    }

    @Test
    void nearestReportsTheQueryRowsDoneBlockByBlockAndChangesNothing() {
        Random rnd = new Random(4);
        FloatMatrix r = new FloatMatrix(10000, 20); // blocks of 16 Mi distances: 1,677 query rows
        FloatMatrix q = new FloatMatrix(4000, 20);
        for (float[] a : new float[][] {r.data(), q.data()}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextFloat();
            }
        }
        Gemm gemm = Gemm.defaultGemm();
        java.util.List<long[]> seen = new java.util.ArrayList<>();
        SquaredDistances.Nearest with = SquaredDistances.nearest(gemm, q, r, (done, total) -> seen.add(new long[] {done, total}));
        SquaredDistances.Nearest without = SquaredDistances.nearest(gemm, q, r);
        org.junit.jupiter.api.Assertions.assertArrayEquals(without.index(), with.index());
        org.junit.jupiter.api.Assertions.assertArrayEquals(without.squaredDistance(), with.squaredDistance());
        org.junit.jupiter.api.Assertions.assertTrue(seen.size() > 1, "several blocks: " + seen.size());
        long last = 0;
        for (long[] u : seen) {
            assertEquals(4000, u[1]);
            org.junit.jupiter.api.Assertions.assertTrue(u[0] > last, "rows done " + u[0] + " after " + last);
            last = u[0];
        }
        assertEquals(4000, last);
    }

    @Test
    void identicalRowsAreAtDistanceZeroNotBelow() {
        FloatMatrix x = FloatMatrix.ofRows(new float[] {1000.1f, -2000.3f, 3.7f}, new float[] {0.1f, 0.2f, 0.3f});
        SquaredDistances.Nearest n = SquaredDistances.nearest(Gemm.defaultGemm(), x, x);
        assertEquals(0, n.index()[0]);
        assertEquals(1, n.index()[1]);
        assertEquals(true, n.squaredDistance()[0] >= 0f && n.squaredDistance()[0] < 1f);
        assertThrows(IllegalArgumentException.class, () -> SquaredDistances.nearest(Gemm.defaultGemm(), x, new FloatMatrix(0, 3)));
        assertThrows(IllegalArgumentException.class, () -> SquaredDistances.nearest(Gemm.defaultGemm(), x, new FloatMatrix(2, 4)));
    }

    @Test
    void oneNearestNeighbourOnMnistHasThePublishedError() {
        // LeCun et al. list 3.09% test error for Euclidean 1-NN on raw MNIST pixels: an end-to-end check
        // of the IDX reader, the GEMM and the distance expansion on 10,000 x 60,000 x 784.
        Datasets.IdxPair train = Datasets.mnist(Datasets.Split.TRAIN);
        Datasets.IdxPair test = Datasets.mnist(Datasets.Split.TEST);
        FloatMatrix xTrain = Idx.readImages(train.images());
        int[] yTrain = Idx.readLabels(train.labels());
        FloatMatrix xTest = Idx.readImages(test.images());
        int[] yTest = Idx.readLabels(test.labels());
        SquaredDistances.Nearest nn = SquaredDistances.nearest(Gemm.defaultGemm(), xTest, xTrain);
        int errors = 0;
        for (int i = 0; i < yTest.length; i++) {
            if (yTrain[nn.index()[i]] != yTest[i]) {
                errors++;
            }
        }
        assertEquals(309, errors, 3, "1-NN errors out of 10,000");
    }
}
