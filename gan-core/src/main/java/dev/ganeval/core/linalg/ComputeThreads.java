package dev.ganeval.core.linalg;

/**
 * The process-wide thread count of the shared kernels ({@link Gemm#defaultGemm()}, {@link DoubleGemm#defaultGemm()},
 * {@link CovarianceAccumulator}), of ONNX Runtime sessions and of image folders' decoding. It starts at the system property
 * {@code ganeval.threads} or, without it, the number of available processors; {@code ganeval --threads N} sets it.
 * Results never depend on it: kernels split work into disjoint output blocks.
 */
public final class ComputeThreads {
    private static final int AVAILABLE = Runtime.getRuntime().availableProcessors();
    private static volatile int count = initial();
    private static volatile boolean explicit = System.getProperty("ganeval.threads") != null;

    private ComputeThreads() {}

    private static int initial() {
        String p = System.getProperty("ganeval.threads");
        if (p == null) {
            return AVAILABLE;
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property ganeval.threads must be a positive integer, got '" + p + "'");
    }

    /** The current thread count (at least 1). */
    public static int get() {
        return count;
    }

    /** True when the count was chosen (property or {@link #set}) rather than taken from the processor count. */
    public static boolean explicit() {
        return explicit;
    }

    /**
     * Sets the thread count for kernels and sessions created from now on.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        count = threads;
        explicit = true;
    }

    /**
     * The thread count for work that holds {@code bytesEach} of its own on every thread (a decoded image, a resized
     * one): {@link #get()}, fewer when those would pass 1/8 of the heap, at least 1.
     */
    public static int withinHeap(long bytesEach) {
        long byHeap = Math.max(1, Runtime.getRuntime().maxMemory() / 8 / Math.max(1, bytesEach));
        return (int) Math.min(count, byHeap);
    }

    /** One share of an element-wise loop split over the threads. */
    @FunctionalInterface
    public interface Share {
        /** Does share {@code part} of {@code parts} (0 ≤ part < parts). */
        void run(int part, int parts);
    }

    /**
     * Runs an element-wise loop in {@link #get()} disjoint shares on the kernels' worker threads (the caller doing
     * share 0), or as one share when its {@code cost} (about the number of simple operations, e.g. elements × the
     * operations per element) is too small to pay for the hand-off. Each share must touch only its own elements,
     * so the result does not depend on the split.
     */
    public static void inShares(long cost, Share share) {
        int parts = cost < (1 << 18) ? 1 : count;
        Parallel.run(parts, part -> share.run(part, parts));
    }

    /** Where share {@code part} of {@code parts} of an n-element loop starts (and share part − 1 ends). */
    public static int shareBound(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    /** Back to the processor count (tests use this to undo {@link #set}). */
    public static void reset() {
        count = AVAILABLE;
        explicit = false;
    }
}
