package dev.ganeval.core.torch;

import dev.ganeval.core.InvalidInputException;

import java.nio.file.Path;

/**
 * A PyTorch checkpoint that cannot be read: truncated, corrupt, lying about its sizes, holding something other than
 * tensors where tensors belong, or naming a Python global outside the reader's allow-list. The reason says what is
 * wrong and where (a byte offset in the file, or a zip entry and a byte offset in it).
 */
public class CheckpointException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(Path file, String reason) {
        super(file, reason);
    }

    public CheckpointException(Path file, String reason, Throwable cause) {
        super(file, reason, cause);
    }
}
