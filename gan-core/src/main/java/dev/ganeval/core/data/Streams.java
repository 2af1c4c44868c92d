package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** Reading helpers shared by the binary readers: exact-length reads that a lying header cannot blow up. */
final class Streams {
    /** Largest array the readers will build. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int FIRST_CHUNK = 1 << 20;

    private Streams() {}

    /**
     * Reads exactly {@code declared} bytes. The buffer grows as data actually arrives, so a header that
     * claims gigabytes for a small file ends in a "truncated" error, never an OutOfMemoryError.
     */
    static byte[] readExactly(InputStream in, long declared, Path file, String what) throws IOException {
        if (declared > MAX_ELEMENTS) {
            throw new InvalidInputException(file, what + " declares " + declared
                    + " bytes of data, more than this reader supports (2 GiB); the header is corrupt or the file must be split");
        }
        int total = (int) declared;
        byte[] buf = new byte[Math.min(total, FIRST_CHUNK)];
        int filled = 0;
        while (filled < total) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(total, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new InvalidInputException(file, "truncated: " + what + " declares " + declared
                        + " bytes of data but only " + filled + " are present");
            }
            filled += r;
        }
        return buf;
    }

    /** Opens a file for reading, turning a missing or unreadable file into an {@link InvalidInputException}. */
    static InputStream open(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException(file, "is a folder, expected a file");
            }
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(file, "permission denied");
        } catch (IOException e) {
            throw new InvalidInputException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code file} exists, is a regular file and is readable. */
    static void requireReadableFile(Path file) {
        if (!Files.exists(file)) {
            throw new InvalidInputException(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException(file, "is a folder, expected a file");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidInputException(file, "permission denied");
        }
    }

    /** Product of the dimensions, or an error naming the file when it overflows what an array holds. */
    static long elementCount(long[] shape, Path file) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new InvalidInputException(file, "negative dimension " + d + " in the header " + Arrays.toString(shape));
            }
            if (d != 0 && n > MAX_ELEMENTS / d) {
                throw new InvalidInputException(file, "the header declares shape " + Arrays.toString(shape)
                        + ", more elements than one array holds; the header is corrupt or the data must be split");
            }
            n *= d;
        }
        return n;
    }
}
