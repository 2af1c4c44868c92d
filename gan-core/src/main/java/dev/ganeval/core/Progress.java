package dev.ganeval.core;

/**
 * Receives progress of a long computation: {@code done} of {@code total} units (samples, rows, epochs). Called
 * from the computing thread between batches, so an implementation must be cheap; the CLI draws a bar from it.
 */
@FunctionalInterface
public interface Progress {
    /** Ignores every update. */
    Progress NONE = (done, total) -> { };

    void update(long done, long total);
}
