package dev.ganeval.cli;

import dev.ganeval.core.Progress;
import dev.ganeval.core.linalg.ComputeThreads;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** Options every computing command takes: thread count, progress bars, stack traces. */
final class RunOptions {
    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the matrix kernels, ONNX Runtime and image decoding, at most 4 × the processors (default: every processor).")
    void threads(int n) {
        // Far more threads than processors only slow the kernels down, and ONNX Runtime has crashed the JVM with 1000.
        int most = 4 * Runtime.getRuntime().availableProcessors();
        if (n > most) {
            throw new IllegalArgumentException("--threads must be at most " + most + " (4 × the " + Runtime.getRuntime()
                    .availableProcessors() + " processors here; more only slows the work down), got " + n);
        }
        ComputeThreads.set(n);
    }

    @Option(names = "--quiet", description = "No progress bars on stderr (for train, also no time-left lines; for score "
            + "--html, no line naming the page).")
    boolean quiet;

    @Option(names = "--progress", description = "Progress bars on stderr even when it is not a terminal.")
    boolean forceProgress;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    /** A progress bar for a task longer than a second, on stderr when it is a terminal (or --progress). */
    Progress bar(PrintWriter err, String label) {
        return ProgressBar.create(err, label, !quiet && (forceProgress || System.console() != null));
    }
}
