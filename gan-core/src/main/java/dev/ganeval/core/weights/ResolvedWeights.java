package dev.ganeval.core.weights;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A weights file ready to load, and how much to trust results made with it.
 *
 * @param file      the published file asked for
 * @param path      the local file to load
 * @param sha256    its SHA-256 as computed here (64 hex digits), worth recording next to results
 * @param published true when the hash is the published one: results are comparable with published numbers; false
 *                  only for a file the user gave ({@link Source#GIVEN} or {@link Source#VARIABLE}) whose hash differs
 * @param source    where it came from
 * @param warning   said when the file is used although its hash differs from the published one
 */
public record ResolvedWeights(WeightsFile file, Path path, String sha256, boolean published, Source source,
                              Optional<String> warning) {
    /** Where a resolved file came from. */
    public enum Source {
        /** The path the caller gave (a command-line option). */
        GIVEN,
        /** The path in the file's environment variable. */
        VARIABLE,
        /** The cache, from an earlier download (by this process or another). */
        CACHE,
        /** Downloaded by this call. */
        DOWNLOADED
    }

    public ResolvedWeights {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(warning, "warning");
    }
}
