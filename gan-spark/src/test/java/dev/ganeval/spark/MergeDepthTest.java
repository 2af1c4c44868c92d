package dev.ganeval.spark;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge tree's depth: the partials Spark's treeReduce leaves for the driver (RDD.treeAggregate's arithmetic) stay
 * within SparkStatistics.DRIVER_PARTIALS_BYTES wherever some depth allows it, and the depth is the shallowest that does.
 */
class MergeDepthTest {
    @Property(tries = 500)
    void whatReachesTheDriverFitsItsBudgetWhereAnyDepthAllows(@ForAll @IntRange(min = 1, max = 200_000) int partitions,
                                                              @ForAll @IntRange(min = 1, max = 8192) int dim) {
        long partial = 8L * dim * dim + 8L * dim + 64;
        int depth = SparkStatistics.depth(partitions, dim);
        long bytes = SparkStatistics.partialsAtTheDriver(partitions, depth) * partial;
        long fewest = Long.MAX_VALUE;
        for (int d = 1; d <= 30; d++) {
            fewest = Math.min(fewest, SparkStatistics.partialsAtTheDriver(partitions, d));
        }
        if (fewest * partial <= SparkStatistics.DRIVER_PARTIALS_BYTES) {
            assertTrue(bytes <= SparkStatistics.DRIVER_PARTIALS_BYTES, partitions + " partitions of d = " + dim + ": depth "
                    + depth + " sends " + bytes + " bytes to the driver");
            if (depth > (partitions <= 4 ? 1 : 2)) {
                long shallower = SparkStatistics.partialsAtTheDriver(partitions, depth - 1) * partial;
                assertTrue(shallower > SparkStatistics.DRIVER_PARTIALS_BYTES, "depth " + depth + " where " + (depth - 1)
                        + " fits");
            }
        } else {
            assertEquals(fewest, SparkStatistics.partialsAtTheDriver(partitions, depth), "the fewest partials possible");
        }
    }

    /** Spark's own numbers for two cases worked by hand from RDD.treeAggregate. */
    @Test
    void sparksArithmetic() {
        // 1,280 partitions, depth 2: scale 36; 1,280 > 36 + 36, so 1,280 / 36 = 35 partials, and 35 <= 36 + 1 stops.
        assertEquals(35, SparkStatistics.partialsAtTheDriver(1280, 2));
        // depth 4: scale 6; 1,280 -> 213 -> 35 -> 5, and 5 <= 6 + 1 stops.
        assertEquals(5, SparkStatistics.partialsAtTheDriver(1280, 4));
        assertEquals(4, SparkStatistics.depth(1280, 2048));
        assertEquals(2, SparkStatistics.depth(1000, 256));
        assertEquals(1, SparkStatistics.depth(4, 256));
    }
}
