package dev.ganeval.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsPartWayLeavesTheOldFileAndNothingElse() throws IOException {
        Path npy = tmp.resolve("x.npy");
        Npy.write(npy, NpyArray.ofFloats(new float[] {1, 2, 3}, 3));
        byte[] before = Files.readAllBytes(npy);
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(npy, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(npy.toString(), e.getFile());
        assertTrue(e.getReason().contains("No space left on device"), e.getReason());
        assertArrayEquals(before, Files.readAllBytes(npy), "the earlier file is untouched");
        assertEquals(List.of("x.npy"), names(), "no partial or temporary file is left");
    }

    @Test
    void writtenFilesGetTheModeAnyNewFileGets() throws IOException {
        Path plain = Files.write(tmp.resolve("plain.bin"), new byte[1]);
        Path atomic = tmp.resolve("atomic.bin");
        AtomicFiles.write(atomic, new byte[1]);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        Path folder = tmp.resolve("folder");
        AtomicFiles.writeFolder(folder, f -> Files.write(f.resolve("x"), new byte[1]));
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("plain-folder"))),
                Files.getPosixFilePermissions(folder));
    }

    @Test
    void npzAndNpyRoundTripThroughTheAtomicWriter() throws IOException {
        Path npz = tmp.resolve("s.npz");
        Npy.writeNpz(npz, Map.of("mu", NpyArray.ofDoubles(new double[] {1, 2}, 2)), false);
        assertArrayEquals(new double[] {1, 2}, Npy.readNpz(npz).get("mu").toDoubles());
        Npy.writeNpz(npz, Map.of("mu", NpyArray.ofDoubles(new double[] {3}, 1)), true);
        assertArrayEquals(new double[] {3}, Npy.readNpz(npz).get("mu").toDoubles());
        assertEquals(List.of("s.npz"), names());
    }

    @Test
    void aFolderThatCannotBeWrittenIsNamed() {
        Path missing = tmp.resolve("no-such-folder").resolve("x.npy");
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Npy.write(missing, NpyArray.ofFloats(new float[] {1}, 1)));
        assertEquals(missing.toString(), e.getFile());
    }

    @Test
    void staleTemporaryFilesOfAKilledWriteAreRemoved() throws IOException {
        Path ckpt = tmp.resolve("checkpoint.ckpt");
        Files.write(tmp.resolve(".checkpoint.ckpt123456.tmp"), new byte[10]);
        Files.write(tmp.resolve("checkpoint.ckpt.tmp"), new byte[10]);
        Files.write(tmp.resolve(".other.ckpt1.tmp"), new byte[10]);
        AtomicFiles.removeStale(ckpt);
        assertEquals(List.of(".other.ckpt1.tmp"), names());
    }

    @Test
    void withAnIdleTimeOnlyTemporaryFilesNoOneWritesToAreRemoved() throws IOException {
        Path graph = tmp.resolve("graph.onnx");
        Path dead = Files.write(tmp.resolve(".graph.onnx111.tmp"), new byte[10]);
        Files.write(tmp.resolve(".graph.onnx222.tmp"), new byte[10]);  // being written now
        Files.setLastModifiedTime(dead, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
        AtomicFiles.removeStale(graph, java.time.Duration.ofHours(1));
        assertEquals(List.of(".graph.onnx222.tmp"), names());
    }

    @Test
    void aFolderIsCompleteOrAbsent() throws IOException {
        Path out = tmp.resolve("samples");
        Files.createDirectories(tmp.resolve(".samples.partial-123").resolve("x"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.writeFolder(out, f -> {
            Files.write(f.resolve("000000.png"), new byte[3]);
            throw new IOException("interrupted");
        }));
        assertEquals(out.toString(), e.getFile());
        assertEquals(List.of(), names(), "neither the folder nor a partial one (nor an older run's) is left");
        AtomicFiles.writeFolder(out, f -> Files.write(f.resolve("000000.png"), new byte[3]));
        assertEquals(List.of("samples"), names());
        assertTrue(Files.isRegularFile(out.resolve("000000.png")));
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("readme.txt"), "kept");
        AtomicFiles.writeFolder(notes, f -> Files.write(f.resolve("000000.png"), new byte[3]));
        assertTrue(Files.isRegularFile(notes.resolve("000000.png")) && Files.isRegularFile(notes.resolve("readme.txt")));
        assertEquals(List.of("notes", "samples"), names());
    }
}
