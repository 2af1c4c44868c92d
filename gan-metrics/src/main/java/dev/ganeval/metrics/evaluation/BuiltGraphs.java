package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.data.AtomicFiles;
import dev.ganeval.core.onnx.ModelLoadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * ONNX graphs built from published weight files (Inception-v3, DINOv2), kept in the weights cache beside them: built
 * once, written atomically under a name keyed by the weights' SHA-256 and the builder's version, read on later runs.
 */
final class BuiltGraphs {
    private BuiltGraphs() {}

    /**
     * The graph from {@code cached}, or built and written there; opened with {@code open}. A cached graph that does not
     * load (a disk error, an edit) is removed and built again, once.
     *
     * @param what the network, for messages
     */
    static <T> T open(Path cached, Supplier<byte[]> build, Function<byte[], T> open, String what) {
        try {
            return open.apply(graph(cached, build, what));
        } catch (ModelLoadException e) {
            if (!Files.isRegularFile(cached)) {
                throw e;
            }
            try {
                Files.delete(cached);
            } catch (IOException io) {
                throw new UncheckedIOException("cannot replace the damaged cached " + what + " " + cached, io);
            }
            return open.apply(graph(cached, build, what));
        }
    }

    private static byte[] graph(Path cached, Supplier<byte[]> build, String what) {
        try {
            if (Files.isRegularFile(cached)) {
                return Files.readAllBytes(cached);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cached " + what + " " + cached + ": " + e.getMessage(), e);
        }
        byte[] model = build.get();
        try {
            Files.createDirectories(cached.getParent());
            AtomicFiles.write(cached, model);
        } catch (IOException e) {
            // A cache that cannot be written costs the next run the building again, not this run its result.
            System.getLogger("dev.ganeval.metrics.evaluation").log(System.Logger.Level.WARNING, "the built " + what
                    + " cannot be cached at " + cached + " (" + e.getMessage() + "); it is built again on each run");
        }
        return model;
    }
}
