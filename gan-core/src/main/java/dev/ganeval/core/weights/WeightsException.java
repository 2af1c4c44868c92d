package dev.ganeval.core.weights;

import dev.ganeval.core.InvalidInputException;

import java.nio.file.Path;

/**
 * A weights file that cannot be had: a given file that does not exist, a download that failed (HTTP status, time-out,
 * connection cut, wrong hash), downloads refused in offline mode, a cache folder that cannot be written. The message
 * names the file or URL, what went wrong and the fix (where to fetch the file by hand and where to put it, or which
 * variable to set); {@link #file()} is the local path concerned (the given file, or where the cache keeps it).
 *
 * <p>An {@link InvalidInputException}: what is missing is an input of the evaluation, and the command line reports it
 * as one (exit code 2) with no stack trace.
 */
public class WeightsException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public WeightsException(Path file, String reason) {
        super(file, reason);
    }

    public WeightsException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
