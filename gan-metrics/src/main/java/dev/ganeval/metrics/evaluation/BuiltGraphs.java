package dev.ganeval.metrics.evaluation;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.data.AtomicFiles;
import dev.ganeval.core.onnx.ModelLoadException;
import dev.ganeval.core.onnx.OnnxExport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * ONNX graphs built from published weight files (Inception-v3, DINOv2, CLIP), kept in the weights cache beside them:
 * built once, written atomically under a name keyed by the weights' SHA-256 and the builder's version
 * ({@code NAME-SHA16-VERSION.onnx}), and opened from that file, which ONNX Runtime reads itself, so a 1.2 GB vision
 * transformer is never one 1.2 GB array on the Java heap (with the default heap of a 24 GB machine, first use of
 * ViT-L/14 could run out of memory on that array). A newly written graph replaces the older versions built from the
 * same weights.
 */
final class BuiltGraphs {
    /** A temporary graph file nothing has written to for this long was left by a process that was killed. */
    private static final java.time.Duration STALE_AFTER = java.time.Duration.ofHours(1);

    private BuiltGraphs() {}

    /**
     * The network opened from {@code cached}, built and written there first when it is not; a cached graph that ONNX
     * Runtime cannot read (a disk error, an edit) is removed and built again, once, while a refusal for other reasons (no
     * CUDA, a missing output) leaves it alone. When the cache cannot be written, the built graph is serialised in memory
     * and opened from there with {@code openBytes} (with a warning: the next run builds it again).
     *
     * @param what the network, for messages
     */
    static <T> T open(Path cached, Supplier<OnnxMl.GraphProto> build, Function<Path, T> openFile,
                      Function<byte[], T> openBytes, String what) {
        try {
            return openOnce(cached, build, openFile, openBytes, what);
        } catch (ModelLoadException e) {
            if (!e.modelUnreadable() || !Files.isRegularFile(cached)) {
                throw e;
            }
            try {
                Files.deleteIfExists(cached);
            } catch (IOException io) {
                throw new UncheckedIOException("cannot replace the damaged cached " + what + " " + cached, io);
            }
            return openOnce(cached, build, openFile, openBytes, what);
        }
    }

    private static <T> T openOnce(Path cached, Supplier<OnnxMl.GraphProto> build, Function<Path, T> openFile,
                                  Function<byte[], T> openBytes, String what) {
        if (!Files.isRegularFile(cached)) {
            byte[] unwritten = buildInto(cached, build, what);
            if (unwritten != null) {
                return openBytes.apply(unwritten);
            }
        }
        return openFile.apply(cached);
    }

    /**
     * Builds the graph and writes it to {@code cached}; its bytes when the cache cannot be written, else null. The built
     * model is referenced only in this frame, so it is garbage before ONNX Runtime reads the file.
     */
    private static byte[] buildInto(Path cached, Supplier<OnnxMl.GraphProto> build, String what) {
        OnnxMl.ModelProto model = OnnxExport.modelProto(build.get());
        try {
            Files.createDirectories(cached.getParent());
            removeKilledWrites(cached);
            AtomicFiles.write(cached, model::writeTo);
        } catch (IOException e) {
            // A cache that cannot be written costs the next run the building again, not this run its result.
            System.getLogger("dev.ganeval.metrics.evaluation").log(System.Logger.Level.WARNING, "the built " + what
                    + " cannot be cached at " + cached + " (" + e.getMessage() + "); it is built again on each run");
            return model.toByteArray();
        }
        removeOtherVersions(cached);
        return null;
    }

    /**
     * Graphs of the same weights by older builder versions ({@code NAME-SHA16-gN.onnx} with a smaller N): a 1.2 GB file
     * each that this version never reads. Newer ones are left to the newer install that may share the cache.
     */
    private static void removeOtherVersions(Path cached) {
        String name = cached.getFileName().toString();
        int dash = name.lastIndexOf('-');
        int version = dash < 1 ? -1 : versionOf(name.substring(dash + 1));
        if (version < 0) {
            return;
        }
        String sameWeights = name.substring(0, dash + 1);
        try (Stream<Path> files = Files.list(cached.getParent())) {
            for (Path other : (Iterable<Path>) files::iterator) {
                String n = other.getFileName().toString();
                if (n.startsWith(sameWeights)) {
                    int v = versionOf(n.substring(sameWeights.length()));
                    if (v >= 0 && v < version) {
                        Files.deleteIfExists(other);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Left for a later run: an old graph costs disk space, not correctness.
        }
    }

    /** What a killed first use left (1.2 GB for ViT-L/14); a write in progress elsewhere is younger than that. */
    private static void removeKilledWrites(Path cached) {
        try {
            AtomicFiles.removeStale(cached, STALE_AFTER);
        } catch (IOException e) {
            // Disk space, not correctness: the write goes on.
        }
    }

    /** N of {@code gN.onnx}, or −1 for any other name. */
    private static int versionOf(String suffix) {
        if (!suffix.matches("g[0-9]{1,6}\\.onnx")) {
            return -1;
        }
        return Integer.parseInt(suffix.substring(1, suffix.length() - ".onnx".length()));
    }
}
