package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;

/**
 * No network: the rows are feature vectors already (from the user's own network), taken as they are; any finite
 * value is allowed. It gives no logits (class logits for the Inception Score are a side of their own).
 */
public final class GivenFeatures implements FeatureNetwork {
    /** The name reports use: {@code FID[features]}. */
    public static final String NAME = "features";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean givesLogits() {
        return false;
    }

    @Override
    public boolean takesPixels() {
        return false;
    }

    @Override
    public Session open(int channels, int height, int width, Device device, boolean logits) {
        return new Session() {
            @Override
            public Outputs run(FloatMatrix samples, boolean features, boolean wantLogits) {
                return new Outputs(features ? samples : null, null);
            }

            @Override
            public String featureTag() {
                return "identity";
            }

            @Override
            public String logitsTag() {
                return null;
            }

            @Override
            public String protocol() {
                return "as-given";
            }

            @Override
            public void close() {
            }
        };
    }
}
