package dev.ganeval.core.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository's testdata folder from a module's working directory. */
public final class Fixtures {
    private Fixtures() {}

    public static Path testdata() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata");
            if (Files.isDirectory(candidate.resolve("npy"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/ not found above " + Path.of("").toAbsolutePath());
    }
}
