package dev.ganeval.cli;

import dev.ganeval.core.Progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr, drawn only once a task has run for a second (short tasks stay silent) and redrawn at
 * most ten times a second, ending with a newline when the task completes. Only drawn on a terminal unless forced,
 * so logs and pipes get no carriage returns.
 */
final class ProgressBar implements Progress {
    private static final long SECOND = 1_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw = Long.MIN_VALUE;
    private boolean drawn;

    ProgressBar(PrintWriter err, String label, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** A bar for {@code label}, or {@link Progress#NONE} when bars are off (no terminal, or {@code --quiet}). */
    static Progress create(PrintWriter err, String label, boolean enabled) {
        return enabled ? new ProgressBar(err, label, System::nanoTime) : Progress.NONE;
    }

    @Override
    public void update(long done, long total) {
        long now = clock.getAsLong();
        boolean finished = done >= total;
        if (now - start < SECOND && !drawn) {
            return;
        }
        if (!finished && drawn && now - lastDraw < SECOND / 10) {
            return;
        }
        lastDraw = now;
        drawn = true;
        double f = total <= 0 ? 1 : Math.min(1, done / (double) total);
        int filled = (int) Math.round(f * WIDTH);
        err.printf(Locale.ROOT, "\r%-22s [%s%s] %3d%% %,d/%,d %.1f s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                Math.round(f * 100), done, total, (now - start) / 1e9);
        if (finished) {
            err.println();
        }
        err.flush();
    }
}
