package dev.ganeval.core;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Input that cannot be used: a missing, unreadable, truncated or corrupt file, an image of the wrong size,
 * a header that lies about its contents, a value that is NaN or infinite. The message names the file (or
 * argument) and the problem, and where there is one, the fix; {@link #file()} and {@link #reason()} give
 * the two parts separately for tools that format their own errors.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public InvalidInputException(Path file, String reason) {
        this(file, reason, null);
    }

    public InvalidInputException(Path file, String reason, Throwable cause) {
        super(file == null ? reason : file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** An error about an argument or value rather than a file. */
    public InvalidInputException(String reason) {
        this(null, reason, null);
    }

    /** The offending file, if the problem is with one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** What is wrong, without the file name. */
    public String reason() {
        return reason;
    }
}
