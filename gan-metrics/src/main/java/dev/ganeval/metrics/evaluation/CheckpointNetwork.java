package dev.ganeval.metrics.evaluation;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.weights.ResolvedWeights;
import dev.ganeval.core.weights.WeightsFile;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A feature network built from a published checkpoint (DINOv2, CLIP): the file found as the Inception weights are
 * found ({@link WeightsResolver}: the file given, else the one an environment variable names, else the cache, else a
 * download on first use with a progress bar, a hash check where the publisher gives a hash, an atomic cache entry and
 * an offline mode), built into an ONNX graph once and kept in the weights cache keyed by its SHA-256
 * ({@link BuiltGraphs}), and run on images prepared by the network's protocol. Its feature tag carries the file's
 * SHA-256 prefix, so reports say which weights they were computed with; a file whose hash differs from a published
 * one is used with the resolver's warning, which every session reports.
 */
public abstract class CheckpointNetwork implements FeatureNetwork {
    private final String name;
    private final WeightsFile published;
    private final Path weights;
    private final WeightsResolver resolver;
    private ResolvedWeights resolved;

    CheckpointNetwork(String name, WeightsFile published, Path weights, WeightsResolver resolver) {
        this.name = Objects.requireNonNull(name, "name");
        this.published = Objects.requireNonNull(published, "published");
        this.weights = weights;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The graph built from the file. */
    abstract OnnxMl.GraphProto build(Path file);

    /** The network's square input size. */
    abstract int inputSize();

    abstract InceptionProtocol preprocessing();

    /** The output that holds the features. */
    abstract String output();

    /** Bumped when the graph builder builds a different graph. */
    abstract String graphVersion();

    /** The feature width of the network this name stands for (1,024 for DINOv2 ViT-L/14). */
    abstract int publishedDim();

    @Override
    public String name() {
        return name;
    }

    /** The published weight file: where it is downloaded from, its hash if published, its environment variable. */
    public WeightsFile published() {
        return published;
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
        ResolvedWeights w = resolveWeights();
        String sha = w.sha256();
        String tagName = name + "-" + sha.substring(0, 8) + ".onnx";
        Path cached = resolver.cacheDir().resolve(name + "-" + sha.substring(0, 16) + "-" + graphVersion() + ".onnx");
        OnnxFeatureExtractor fx = BuiltGraphs.open(cached, () -> build(w.path()),
                file -> new OnnxFeatureExtractor(file, tagName, output(), channels, height, width, inputSize(), preprocessing(),
                        device, 50),
                bytes -> new OnnxFeatureExtractor(bytes, tagName, output(), channels, height, width, inputSize(), preprocessing(),
                        device, 50), name);
        List<String> warnings = new ArrayList<>(w.warning().map(List::of).orElse(List.of()));
        if (fx.dim() != publishedDim()) {
            // Another size's file under this name (a ViT-B/14 checkpoint for dinov2-vitl14): the graph builds, the
            // numbers are not this network's.
            warnings.add(w.path() + " gives " + fx.dim() + "-d features, not the " + publishedDim() + " of " + name
                    + ": its results are labelled " + name + " but are another network's (use the file of the size named)");
        }
        return OnnxNetwork.withWarnings(new OnnxNetwork.Extracting(fx, output(), null), warnings);
    }

    /**
     * The weight file, found or downloaded now: before any image is read, so that a missing file is one line first.
     *
     * @throws dev.ganeval.core.weights.WeightsException saying where the published file is and how to pass a copy
     */
    public synchronized ResolvedWeights resolveWeights() {
        // Once per instance: hashing a 1.2 GB file takes seconds, and the CLI resolves before any image is read and
        // opens a session per side after.
        if (resolved == null) {
            resolved = resolver.resolve(published, weights);
        }
        return resolved;
    }
}
