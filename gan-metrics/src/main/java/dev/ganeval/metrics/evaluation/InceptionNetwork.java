package dev.ganeval.metrics.evaluation;

import ai.onnx.proto.OnnxMl;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.torch.Tensor;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.ResolvedWeights;
import dev.ganeval.core.weights.WeightsFile;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.InceptionV3;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * pytorch-fid's FID Inception-v3 from its published weight file, the network FID, KID and IS are reported on: the
 * weights are found or downloaded by a {@link WeightsResolver} (cache, hash check, offline mode, a local copy), read
 * with {@link TorchCheckpoint}, built into an ONNX graph by {@link InceptionV3} once and kept beside them in the cache
 * (keyed by the weights' SHA-256, written atomically), and run with one of the three preprocessing protocols. Features
 * are the 2,048-d {@code pool}; class logits for the Inception Score are {@code logits_unbiased} (pool·Wᵀ, as
 * torch-fidelity and the original TensorFlow code compute IS). Reports call it {@code inception-v3/pytorch-fid} (or
 * {@code /tf}, {@code /clean}); weights that are not the published file are named in the feature tag and warned about.
 */
public final class InceptionNetwork implements FeatureNetwork {
    /** The registry name; {@code inception-v3/tf} and {@code inception-v3/clean} choose the other protocols. */
    public static final String NAME = "inception-v3";
    /** Bumped when {@link InceptionV3} builds a different graph, so a cached model of an older build is not reused. */
    private static final String GRAPH_VERSION = "g1";

    private final InceptionProtocol protocol;
    private final WeightsResolver resolver;
    private final Path weights;

    private InceptionNetwork(InceptionProtocol protocol, WeightsResolver resolver, Path weights) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.weights = weights;
    }

    /**
     * @param weights a local copy of the weight file to use instead of the cache or a download, or null
     */
    public static InceptionNetwork of(InceptionProtocol protocol, WeightsResolver resolver, Path weights) {
        return new InceptionNetwork(protocol, resolver, weights);
    }

    /** With the resolver the environment sets up ({@code XDG_CACHE_HOME}, {@code GANEVAL_OFFLINE}...). */
    public static InceptionNetwork of(InceptionProtocol protocol) {
        return new InceptionNetwork(protocol, WeightsResolver.builder().build(), null);
    }

    @Override
    public String name() {
        return NAME + "/" + protocol.name();
    }

    public InceptionProtocol protocol() {
        return protocol;
    }

    @Override
    public boolean givesLogits() {
        return true;
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
        FeatureNetwork.requireImages("Inception-v3", channels, height, width);
        ResolvedWeights w = resolver.resolve(WeightsFile.PYTORCH_FID_INCEPTION, weights);
        String name = NAME + (w.published() ? "" : "-unpublished-weights-" + w.sha256().substring(0, 8)) + ".onnx";
        OnnxFeatureExtractor fx = BuiltGraphs.open(cached(w), () -> build(w),
                file -> new OnnxFeatureExtractor(file, name, InceptionV3.POOL, channels, height, width, InceptionV3.IMAGE_SIZE,
                        protocol, device, 50),
                bytes -> new OnnxFeatureExtractor(bytes, name, InceptionV3.POOL, channels, height, width,
                        InceptionV3.IMAGE_SIZE, protocol, device, 50), "Inception-v3");
        return OnnxNetwork.withWarnings(new OnnxNetwork.Extracting(fx, InceptionV3.POOL,
                logits ? InceptionV3.LOGITS_UNBIASED : null), w.warning().map(List::of).orElse(List.of()));
    }

    /** Where the graph built from these weights is kept. */
    private Path cached(ResolvedWeights w) {
        return resolver.cacheDir().resolve(NAME + "-" + w.sha256().substring(0, 16) + "-" + GRAPH_VERSION + ".onnx");
    }

    /** The ONNX graph built from these weights (about a second for the 95 MB file). */
    private static OnnxMl.GraphProto build(ResolvedWeights w) {
        Map<String, Tensor> stateDict = TorchCheckpoint.read(w.path());
        try {
            return InceptionV3.graphConsuming(stateDict);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(w.path(), "is not pytorch-fid's Inception-v3: " + e.getMessage(), e);
        }
    }
}
