package dev.ganeval.core;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps gan-core's packages layered: {@code gan} (the reference GAN) knows nothing of {@code onnx} (the file format),
 * which exports it; {@code sampling} (noise, pixel ranges, drawing samples from any generator) knows neither. Reads
 * the import lines, and fully qualified names in code, of gan-core's main sources.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/ganeval/core");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?dev\\.ganeval\\.core\\.(\\w+)\\.");
    private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.ganeval\\.core\\.(\\w+)\\.");

    /** Package, the packages it must not use. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "gan", Set.of("onnx"),
            "sampling", Set.of("gan", "onnx"));

    @Test
    void ganDoesNotUseOnnxAndSamplingUsesNeitherGanNorOnnx() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> rule : FORBIDDEN.entrySet()) {
            Path dir = SOURCES.resolve(rule.getKey());
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            }
            assertTrue(!files.isEmpty(), "no sources in " + dir.toAbsolutePath());
            for (Path f : files) {
                for (Use u : uses(f)) {
                    if (rule.getValue().contains(u.pkg())) {
                        violations.add(f.getFileName() + ":" + u.line() + ": core." + rule.getKey() + " uses core." + u.pkg());
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "package cycle back: " + String.join("; ", violations));
    }

    /** A gan-core package named on a line. */
    private record Use(int line, String pkg) {}

    /** Every gan-core package a file names in an import or in code (comments skipped). */
    private static List<Use> uses(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Use> used = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).trim();
            if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
                continue;
            }
            Matcher m = t.startsWith("import") ? IMPORT.matcher(t) : QUALIFIED.matcher(t);
            while (m.find()) {
                used.add(new Use(i + 1, m.group(1)));
            }
        }
        return used;
    }
}
