package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A feature network built from a published checkpoint the user names (DINOv2, CLIP): the file found (given, or named
 * by an environment variable), hashed, built into an ONNX graph once and kept in the weights cache keyed by its
 * SHA-256 ({@link BuiltGraphs}), and run on images prepared by the network's protocol. Its feature tag carries the
 * file's SHA-256 prefix, so reports say which weights they were computed with. These files are not downloaded: their
 * published SHA-256 values were not available to check a download against when this was written.
 */
public abstract class CheckpointNetwork implements FeatureNetwork {
    private final String name;
    private final Path weights;
    private final Path cacheDir;

    CheckpointNetwork(String name, Path weights, Path cacheDir) {
        this.name = Objects.requireNonNull(name, "name");
        this.weights = weights;
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /** The environment variable naming the file when none is given. */
    abstract String variable();

    /** The command-line option naming the file. */
    abstract String option();

    /** Where the published file is. */
    abstract String publishedUrl();

    /** The graph built from the file. */
    abstract byte[] build(Path file);

    /** The network's square input size. */
    abstract int inputSize();

    abstract InceptionProtocol preprocessing();

    /** The output that holds the features. */
    abstract String output();

    /** Bumped when the graph builder builds a different graph. */
    abstract String graphVersion();

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean givesLogits() {
        return false;
    }

    @Override
    public boolean takesPixels() {
        return true;
    }

    @Override
    public boolean resizes() {
        return true;
    }

    @Override
    public Session open(int channels, int height, int width, Device device, boolean logits) {
        FeatureNetwork.requireImages(name, channels, height, width);
        Path file = weightsFile();
        String sha = sha256(file);
        String tagName = name + "-" + sha.substring(0, 8) + ".onnx";
        Path cached = cacheDir.resolve(name + "-" + sha.substring(0, 16) + "-" + graphVersion() + ".onnx");
        OnnxFeatureExtractor fx = BuiltGraphs.open(cached, () -> build(file), model -> new OnnxFeatureExtractor(model,
                tagName, output(), channels, height, width, inputSize(), preprocessing(), device, 50), name);
        return new OnnxNetwork.Extracting(fx, output(), null);
    }

    /**
     * The weight file (given, or named by the environment variable), checked to be there: before any image is read.
     *
     * @throws InvalidInputException saying where the published file is and how to pass it
     */
    public Path requireWeightsFile() {
        return weightsFile();
    }

    private Path weightsFile() {
        Path file = weights;
        if (file == null) {
            String v = System.getenv(variable());
            if (v == null || v.isBlank()) {
                String published = publishedUrl();
                throw new InvalidInputException(name + " needs its weight file, which ganeval does not download: get "
                        + published.substring(published.lastIndexOf('/') + 1) + " (" + published + ") and pass it with "
                        + option() + " FILE (or set " + variable() + ")");
            }
            file = Path.of(v);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, Files.exists(file) ? "not a file (" + name + "'s weights)"
                    : "no such file (" + name + "'s weights)");
        }
        return file;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
