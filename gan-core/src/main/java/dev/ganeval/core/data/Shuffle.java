package dev.ganeval.core.data;

import java.util.random.RandomGenerator;

/**
 * Seeded row orders: Fisher–Yates from the end, one {@code nextInt(i + 1)} per position, so a given generator and seed
 * always give the same order (the one every seeded metric and trainer here has used).
 */
public final class Shuffle {
    private Shuffle() {}

    /** {@code 0 … n−1} in order. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Shuffles {@code order} in place. */
    public static void shuffle(int[] order, RandomGenerator rnd) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** A random permutation of {@code 0 … n−1}. */
    public static int[] permutation(int n, RandomGenerator rnd) {
        int[] order = identity(n);
        shuffle(order, rnd);
        return order;
    }
}
