package dev.ganeval.core.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Sequential reads from a file (through a 64 KiB window) or from bytes in memory, keeping the position for error
 * messages. Every length a reader takes from the data is checked against the bytes that remain before anything
 * that size is allocated, so a lying length ends in a {@link CheckpointException}, never an OutOfMemoryError.
 */
final class ByteInput {
    private static final int WINDOW = 1 << 16;

    private final Path file;
    /** The zip entry read, or null when reading the file itself. */
    private final String entry;
    /** Null for bytes in memory. */
    private final FileChannel channel;
    private final ByteBuffer window;
    /** Position (in the file or entry) of the window's first byte. */
    private long windowStart;
    private final long end;

    private ByteInput(Path file, String entry, FileChannel channel, ByteBuffer window, long end) {
        this.file = file;
        this.entry = entry;
        this.channel = channel;
        this.window = window;
        this.end = end;
    }

    /** The first {@code size} bytes of an open file, from its start. */
    static ByteInput of(FileChannel channel, long size, Path file) {
        ByteBuffer w = ByteBuffer.allocate(WINDOW);
        w.flip();
        return new ByteInput(file, null, channel, w, size);
    }

    /** A zip entry's bytes. */
    static ByteInput of(byte[] bytes, Path file, String entry) {
        return new ByteInput(file, entry, null, ByteBuffer.wrap(bytes), bytes.length);
    }

    long position() {
        return windowStart + window.position();
    }

    long remaining() {
        return end - position();
    }

    /** Where {@code pos} is, for a message: "at byte 12" or "in entry archive/data.pkl at byte 12". */
    String at(long pos) {
        return entry == null ? "at byte " + pos : "in entry " + entry + " at byte " + pos;
    }

    /** An error at {@code pos}. */
    CheckpointException fail(long pos, String what) {
        return new CheckpointException(file, what + " (" + at(pos) + ")");
    }

    private CheckpointException truncated(String what, long needed) {
        return fail(position(), "truncated: " + what + " needs " + needed + " byte" + (needed == 1 ? "" : "s")
                + ", " + remaining() + " remain");
    }

    int u8(String what) {
        if (!window.hasRemaining()) {
            refill(what, 1);
        }
        return window.get() & 0xff;
    }

    /** An unsigned little-endian integer of {@code n} ≤ 8 bytes (8 bytes may read as negative: callers check). */
    long le(int n, String what) {
        if (n > remaining()) {
            throw truncated(what, n);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) u8(what) << (8 * i);
        }
        return v;
    }

    /** Exactly {@code n} bytes; refused before allocation when fewer remain. */
    byte[] bytes(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw n < 0 ? fail(position(), what + " has a negative length " + n) : truncated(what, n);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw fail(position(), what + " claims " + n + " bytes, more than one array holds");
        }
        byte[] out = new byte[(int) n];
        int filled = 0;
        while (filled < out.length) {
            if (!window.hasRemaining()) {
                refill(what, out.length - filled);
            }
            int k = Math.min(window.remaining(), out.length - filled);
            window.get(out, filled, k);
            filled += k;
        }
        return out;
    }

    /** Skips {@code n} bytes, refused when fewer remain. */
    void skip(long n, String what) {
        if (n < 0 || n > remaining()) {
            throw n < 0 ? fail(position(), what + " has a negative length " + n) : truncated(what, n);
        }
        long target = position() + n;
        if (target <= windowStart + window.limit()) {
            window.position((int) (target - windowStart));
        } else {
            windowStart = target;
            window.clear();
            window.flip();
        }
    }

    private void refill(String what, long needed) {
        long pos = position();
        if (channel == null || pos >= end) {
            throw truncated(what, needed);
        }
        windowStart = pos;
        window.clear();
        window.limit((int) Math.min(window.capacity(), end - pos));
        try {
            while (window.hasRemaining()) {
                if (channel.read(window, windowStart + window.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        window.flip();
        if (!window.hasRemaining()) {
            throw truncated(what + " (the file ended early)", needed);
        }
    }

    /** Reads {@code n} bytes at {@code pos} of an open file, little-endian; {@code n} is already checked. */
    static ByteBuffer readAt(FileChannel channel, long pos, int n, Path file) {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, pos + b.position()) < 0) {
                    throw new CheckpointException(file, "truncated: the file ended at byte " + (pos + b.position())
                            + " while reading " + n + " bytes of storage data from byte " + pos);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        return b.flip();
    }
}
