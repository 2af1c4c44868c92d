package dev.ganeval.core.linalg;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a few coarse tasks on a shared pool of daemon threads, the caller doing task 0 itself. Kernels
 * split their work into disjoint output blocks, one per task, so results never depend on scheduling.
 */
public final class Parallel {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ganeval-worker");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {}

    /** Runs {@code task.accept(p)} for p in [0, parts) and waits for all; rethrows the first failure. */
    public static void run(int parts, IntConsumer task) {
        if (parts <= 1) {
            task.accept(0);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int part = p;
            futures.add(POOL.submit(() -> task.accept(part)));
        }
        RuntimeException failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker threads", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error err) {
                    throw err;
                }
                if (failure == null) {
                    failure = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
