package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ComputeThreadsTest {
    @AfterEach
    void restore() {
        ComputeThreads.reset();
    }

    /** Every element is visited by exactly one share, whatever the thread count and the cost. */
    @Property(tries = 40)
    void sharesPartitionTheLoop(@ForAll @IntRange(min = 0, max = 300_000) int n,
                                @ForAll @IntRange(min = 1, max = 5) int threads,
                                @ForAll @IntRange(min = 1, max = 30) int costPerElement) {
        ComputeThreads.set(threads);
        AtomicIntegerArray visits = new AtomicIntegerArray(n);
        ComputeThreads.inShares((long) n * costPerElement, (part, parts) -> {
            int to = ComputeThreads.shareBound(n, part + 1, parts);
            for (int i = ComputeThreads.shareBound(n, part, parts); i < to; i++) {
                visits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, visits.get(i), "element " + i);
        }
    }
}
