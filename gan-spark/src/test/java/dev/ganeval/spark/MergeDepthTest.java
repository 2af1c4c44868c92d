package dev.ganeval.spark;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge tree's depth against Spark's treeReduce (RDD.scala: scale = max(⌈n^(1/depth)⌉, 2), then while
 * n > scale + ⌈n / scale⌉ the partials are merged down by scale): what reaches the driver stays under Spark's default
 * 1 GiB spark.driver.maxResultSize, for any partition count and feature width up to 4,096.
 */
class MergeDepthTest {
    /** How many partials Spark's treeReduce sends to the driver. */
    static long partialsAtTheDriver(int partitions, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        long n = partitions;
        while (n > scale + (long) Math.ceil((double) n / scale)) {
            n /= scale;
        }
        return n;
    }

    @Property(tries = 300)
    void whatReachesTheDriverFitsSparksDefaultResultCap(@ForAll @IntRange(min = 1, max = 200_000) int partitions,
                                                        @ForAll @IntRange(min = 1, max = 4096) int dim) {
        int depth = SparkStatistics.depth(partitions, dim);
        long partial = 8L * dim * dim + 8L * dim + 64;
        long bytes = partialsAtTheDriver(partitions, depth) * partial;
        assertTrue(bytes <= 1L << 30, partitions + " partitions of d = " + dim + ": depth " + depth + " sends " + bytes
                + " bytes to the driver");
    }

    @Property(tries = 20)
    void smallFeaturesKeepTheShallowTree(@ForAll @IntRange(min = 5, max = 1024) int partitions) {
        // The embedded MNIST network's 256-d partials are 0.5 MB: two levels as before.
        assertEquals(2, SparkStatistics.depth(partitions, 256));
        assertEquals(1, SparkStatistics.depth(4, 2048));
    }
}
