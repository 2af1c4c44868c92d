package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;

/**
 * No network: the rows are class logits already (a classifier's outputs before the softmax), for the Inception Score;
 * any finite value is allowed. It gives no features.
 */
public final class GivenLogits implements FeatureNetwork {
    /** The name reports use: {@code Inception Score[logits]}. */
    public static final String NAME = "logits";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean givesLogits() {
        return true;
    }

    @Override
    public boolean takesPixels() {
        return false;
    }

    /** The rows cannot serve as features: they are class logits. */
    @Override
    public boolean givesFeatures() {
        return false;
    }

    @Override
    public Session open(int channels, int height, int width, Device device, boolean logits) {
        return new Session() {
            @Override
            public Outputs run(FloatMatrix samples, boolean features, boolean wantLogits) {
                if (features) {
                    throw new IllegalStateException("given logits are not features");
                }
                return new Outputs(null, wantLogits ? samples : null);
            }

            @Override
            public String featureTag() {
                return null;
            }

            @Override
            public String logitsTag() {
                return "identity";
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
