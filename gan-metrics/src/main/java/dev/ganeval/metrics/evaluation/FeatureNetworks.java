package dev.ganeval.metrics.evaluation;

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

    /** An ONNX image network with pytorch-fid's preprocessing; {@code logitsOutput} may be null. */
    public static FeatureNetwork onnx(Path file, String featuresOutput, String logitsOutput, int size) {
        return new OnnxNetwork(file, featuresOutput, logitsOutput, size);
    }
}
