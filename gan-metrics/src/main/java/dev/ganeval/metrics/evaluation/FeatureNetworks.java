package dev.ganeval.metrics.evaluation;

import dev.ganeval.metrics.features.InceptionProtocol;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The feature networks by name. A new network is one {@link FeatureNetwork} class and one line in the static block
 * below; any ONNX file is a network too ({@link #onnx}).
 */
public final class FeatureNetworks {
    private static final Map<String, Supplier<FeatureNetwork>> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("mnist-mlp", MnistMlpNetwork::new);
        REGISTRY.put(InceptionNetwork.NAME, () -> InceptionNetwork.of(InceptionProtocol.PYTORCH_FID));
        REGISTRY.put(InceptionNetwork.NAME + "/tf", () -> InceptionNetwork.of(InceptionProtocol.TF));
        REGISTRY.put(InceptionNetwork.NAME + "/clean", () -> InceptionNetwork.of(InceptionProtocol.CLEAN));
        for (String dino : DinoV2Network.NAMES) {
            REGISTRY.put(dino, () -> DinoV2Network.of(dino, null));
        }
        REGISTRY.put(ClipNetwork.NAME, () -> ClipNetwork.of(null));
        REGISTRY.put(GivenRows.FEATURES, GivenRows::features);
        REGISTRY.put(GivenRows.LOGITS, GivenRows::logits);
    }

    private FeatureNetworks() {}

    /** The registered names. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    /**
     * The network registered as {@code name}, or for a name ending in {@code .onnx} that file with Inception's
     * defaults ({@code pool} features, {@code logits}, 299 pixels; {@link #onnx} sets them).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static FeatureNetwork named(String name) {
        Supplier<FeatureNetwork> s = REGISTRY.get(name);
        if (s != null) {
            return s.get();
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return onnx(Path.of(name), "pool", "logits", 299);
        }
        throw new IllegalArgumentException("no feature network named '" + name + "'; known: " + String.join(", ", names())
                + ", or an ONNX file (name.onnx)");
    }

    /**
     * The default for samples of this shape when no network is named: the embedded MNIST network for 28×28 gray images
     * (or rows of 784), pytorch-fid's Inception-v3 for anything else, as pytorch-fid and torch-fidelity do.
     */
    public static FeatureNetwork defaultFor(int channels, int height, int width) {
        return mnistShaped(channels, height, width) || channels == 1 && height == 1 ? new MnistMlpNetwork()
                : InceptionNetwork.of(InceptionProtocol.PYTORCH_FID);
    }

    /**
     * The default for two sides: the embedded MNIST network when either is 28×28 gray (the other side then has to
     * match it, and a colour folder of digits is told to read as gray), else as {@link #defaultFor(int, int, int)}.
     */
    public static FeatureNetwork defaultFor(dev.ganeval.core.data.SampleSource a, dev.ganeval.core.data.SampleSource b) {
        for (dev.ganeval.core.data.SampleSource s : new dev.ganeval.core.data.SampleSource[] {a, b}) {
            if (s != null && mnistShaped(s.channels(), s.height(), s.width())) {
                return new MnistMlpNetwork();
            }
        }
        dev.ganeval.core.data.SampleSource s = a != null ? a : b;
        return defaultFor(s.channels(), s.height(), s.width());
    }

    private static boolean mnistShaped(int channels, int height, int width) {
        return channels == 1 && (height == 28 && width == 28 || height == 1 && width == 28 * 28);
    }

    /** An ONNX image network with pytorch-fid's preprocessing; {@code logitsOutput} may be null. */
    public static FeatureNetwork onnx(Path file, String featuresOutput, String logitsOutput, int size) {
        return new OnnxNetwork(file, featuresOutput, logitsOutput, size);
    }

    /**
     * An ONNX image network with one of the preprocessing protocols; {@code featuresOutput} null takes its only output
     * (else {@code pool}), {@code size} 0 its own fixed input size (else 299), {@code logitsOutput} may be null.
     */
    public static FeatureNetwork onnx(Path file, String featuresOutput, String logitsOutput, int size, InceptionProtocol protocol) {
        return new OnnxNetwork(file, featuresOutput, logitsOutput, size, protocol);
    }
}
