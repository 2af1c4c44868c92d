package dev.ganeval.core.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * Output files that are complete or absent: written to a temporary file beside the target, then renamed onto it. A
 * write that fails part-way (a full disk, an interrupted run) leaves the target as it was, removes the temporary file,
 * and fails with a {@link FileSystemException} naming the target and the reason.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the target's whole content. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} through {@code body} atomically.
     *
     * @throws FileSystemException naming {@code file} when it cannot be written; nothing is left behind
     */
    public static void write(Path file, Body body) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(body, "body");
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        // A name of its own beside the target, created as an ordinary file (Files.createTempFile would make it
        // owner-only, and the rename would keep that): the umask decides, as for any file the user writes.
        Path tmp = dir.resolve("." + target.getFileName() + randomSuffix() + ".tmp");
        boolean done = false;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
                body.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw failure(file, e);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Checks, before any work, that {@code file} could be written where it is: its folder exists and is writable, and it
     * is not itself a folder (or, with {@code folder}, not a file). A long run is not to end in "cannot write".
     *
     * @throws dev.ganeval.core.InvalidInputException naming the file and what is in the way
     */
    public static void requireWritable(Path file, boolean folder) {
        Objects.requireNonNull(file, "file");
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new dev.ganeval.core.InvalidInputException(file, "cannot be written: the folder " + dir
                    + (dir != null && Files.exists(dir) ? " is a file" : " does not exist") + "; create it or choose another path");
        }
        if (!Files.isWritable(dir)) {
            throw new dev.ganeval.core.InvalidInputException(file, "cannot be written: no permission to write in " + dir);
        }
        if (folder ? Files.exists(file) && !Files.isDirectory(file) : Files.isDirectory(file)) {
            throw new dev.ganeval.core.InvalidInputException(file, "cannot be written: a " + (folder ? "file" : "folder")
                    + " of that name is in the way");
        }
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(file, out -> out.write(bytes));
    }

    /**
     * Removes the temporary files that writes of {@code file} left behind when their process was killed (a Ctrl-C
     * ends a JVM without unwinding its writes). Safe while no other process writes the same file.
     */
    public static void removeStale(Path file) throws IOException {
        removeStale(file, java.time.Duration.ZERO);
    }

    /**
     * As {@link #removeStale(Path)}, only the temporary files nothing has written to for {@code idle}: a write in
     * progress keeps its file's time current, so this is safe beside another process writing the same file when
     * {@code idle} is longer than any pause in its writing.
     */
    public static void removeStale(Path file, java.time.Duration idle) throws IOException {
        Path target = file.toAbsolutePath();
        String prefix = "." + target.getFileName();
        java.nio.file.attribute.FileTime cutoff = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(idle));
        // Before writes went through here, a checkpoint's temporary file was its name plus ".tmp".
        Path legacy = target.resolveSibling(target.getFileName() + ".tmp");
        if (idle.isZero() || Files.isRegularFile(legacy) && Files.getLastModifiedTime(legacy).compareTo(cutoff) <= 0) {
            Files.deleteIfExists(legacy);
        }
        try (java.util.stream.Stream<Path> siblings = Files.list(target.getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".tmp") && Files.isRegularFile(p)
                        && (idle.isZero() || Files.getLastModifiedTime(p).compareTo(cutoff) <= 0)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no folder yet: nothing to clean
        }
    }

    /** Fills a folder. */
    @FunctionalInterface
    public interface FolderBody {
        void writeInto(Path folder) throws IOException;
    }

    /**
     * Writes a new folder of files atomically: into a hidden folder beside it, renamed onto {@code folder} when
     * complete, so an interrupted run leaves no half-written folder (where {@code folder} exists already, the files are
     * moved into it one rename each at the end). Hidden folders that killed earlier runs left are removed first.
     *
     * @throws FileSystemException naming {@code folder}; nothing is left behind
     */
    public static void writeFolder(Path folder, FolderBody body) throws IOException {
        Objects.requireNonNull(body, "body");
        Path target = folder.toAbsolutePath();
        String prefix = "." + target.getFileName() + ".partial-";
        try (java.util.stream.Stream<Path> siblings = Files.list(target.getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw failure(folder, e);
        }
        Path partial;
        try {
            partial = Files.createDirectory(target.getParent().resolve(prefix + randomSuffix())); // umask's mode, not 0700
        } catch (IOException e) {
            throw failure(folder, e);
        }
        boolean done = false;
        try {
            body.writeInto(partial);
            if (Files.isDirectory(target)) {
                // A folder that exists already (empty, or holding other files) gets the new files moved in, each by a
                // rename: only that last step, not the writing, can be cut short.
                try (java.util.stream.Stream<Path> files = Files.list(partial)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.move(f, target.resolve(f.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.delete(partial);
            } else {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            done = true;
        } catch (IOException e) {
            throw failure(folder, e);
        } finally {
            if (!done) {
                deleteTree(partial);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String randomSuffix() {
        return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
    }

    private static FileSystemException failure(Path file, IOException e) {
        if (e instanceof FileSystemException fs && file.toString().equals(fs.getFile())) {
            return fs;
        }
        FileSystemException out;
        if (e instanceof java.nio.file.NoSuchFileException) {
            out = new java.nio.file.NoSuchFileException(file.toString()); // its folder is missing
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            out = new java.nio.file.AccessDeniedException(file.toString());
        } else {
            String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
            out = new FileSystemException(file.toString(), null, "cannot be written: " + reason + "; nothing was left behind");
        }
        out.initCause(e);
        return out;
    }
}
