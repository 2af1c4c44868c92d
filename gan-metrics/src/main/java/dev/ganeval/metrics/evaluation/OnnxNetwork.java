package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.ModelLoadException;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Any ONNX image network with pytorch-fid's preprocessing ({@link OnnxFeatureExtractor}): a features output, an
 * optional class-logits output read from the same forward pass, and the square input size images are resized to.
 */
public final class OnnxNetwork implements FeatureNetwork {
    private final Path file;
    private final String name;
    private final String featuresOutput;
    private final String logitsOutput;
    private final int size;
    private final InceptionProtocol protocol;

    /**
     * @param file           the ONNX network
     * @param featuresOutput the output with the features (Inception's {@code pool}), or null for the network's only
     *                       output (else {@code pool})
     * @param logitsOutput   the output with class logits for the Inception Score, or null for none
     * @param size           the network's square input size (Inception-v3: 299), or 0 for its own fixed size (else 299)
     * @param protocol       how images are resized and scaled for it
     */
    public OnnxNetwork(Path file, String featuresOutput, String logitsOutput, int size, InceptionProtocol protocol) {
        this.file = Objects.requireNonNull(file, "file");
        this.name = file.getFileName().toString();
        this.featuresOutput = featuresOutput;
        this.logitsOutput = logitsOutput;
        if (size < 0) {
            throw new InvalidInputException("the network's input size must be at least 1 pixel, got " + size
                    + " (Inception-v3 takes 299)");
        }
        this.size = size;
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    /** With pytorch-fid's preprocessing. */
    public OnnxNetwork(Path file, String featuresOutput, String logitsOutput, int size) {
        this(file, featuresOutput, logitsOutput, size, InceptionProtocol.PYTORCH_FID);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean givesLogits() {
        return logitsOutput != null;
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
        OnnxFeatureExtractor fx = new OnnxFeatureExtractor(file, featuresOutput, channels, height, width, size,
                protocol, device, 50);
        return new Extracting(fx, fx.output(), logits ? logitsOutput : null);
    }

    /** {@code inner}, reporting {@code warnings} (about its weights) as its own. */
    static Session withWarnings(Session inner, List<String> warnings) {
        if (warnings.isEmpty()) {
            return inner;
        }
        List<String> copy = List.copyOf(warnings);
        return new Session() {
            @Override
            public Outputs run(FloatMatrix samples, boolean features, boolean logits) {
                return inner.run(samples, features, logits);
            }

            @Override
            public String featureTag() {
                return inner.featureTag();
            }

            @Override
            public String logitsTag() {
                return inner.logitsTag();
            }

            @Override
            public String protocol() {
                return inner.protocol();
            }

            @Override
            public List<String> warnings() {
                return copy;
            }

            @Override
            public java.util.Optional<Session> forImages(int channels, int height, int width, boolean logits) {
                return inner.forImages(channels, height, width, logits);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /** A session over one {@link OnnxFeatureExtractor}; shared with the embedded networks. */
    static final class Extracting implements Session {
        private final OnnxFeatureExtractor fx;
        private final String featuresOutput;
        private final String logitsOutput;

        Extracting(OnnxFeatureExtractor fx, String featuresOutput, String logitsOutput) {
            this.fx = fx;
            this.featuresOutput = featuresOutput;
            this.logitsOutput = logitsOutput;
            if (logitsOutput != null && !fx.hasOutput(logitsOutput)) {
                fx.close();
                throw new ModelLoadException("the network has no class-logits output '" + logitsOutput + "' for the Inception "
                        + "Score; its outputs are " + fx.outputNames(), null);
            }
        }

        @Override
        public Outputs run(FloatMatrix samples, boolean features, boolean logits) {
            List<String> want = new ArrayList<>(2);
            if (features) {
                want.add(featuresOutput);
            }
            if (logits) {
                if (logitsOutput == null) {
                    throw new IllegalStateException("this session was opened without logits");
                }
                want.add(logitsOutput);
            }
            if (want.isEmpty()) {
                return new Outputs(null, null);
            }
            Map<String, FloatMatrix> out = fx.extract(samples, want, dev.ganeval.core.Progress.NONE);
            return new Outputs(features ? out.get(featuresOutput) : null, logits ? out.get(logitsOutput) : null);
        }

        @Override
        public String featureTag() {
            return fx.tag(featuresOutput);
        }

        @Override
        public String logitsTag() {
            return logitsOutput == null ? null : fx.tag(logitsOutput);
        }

        @Override
        public String protocol() {
            return fx.protocol();
        }

        @Override
        public java.util.Optional<Session> forImages(int channels, int height, int width, boolean logits) {
            if (logits && logitsOutput == null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new Extracting(fx.forImages(channels, height, width), featuresOutput,
                    logits ? logitsOutput : null));
        }

        @Override
        public void close() {
            fx.close();
        }
    }
}
