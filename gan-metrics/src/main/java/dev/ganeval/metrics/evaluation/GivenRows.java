package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;

/**
 * No network: the rows are taken as they are, either as feature vectors (from the user's own network; for FID, KID,
 * PRDC...) or as class logits (a classifier's outputs before the softmax; for the Inception Score). Any finite value is
 * allowed; the metrics check them.
 */
public final class GivenRows implements FeatureNetwork {
    /** The registry name and report label of rows given as features: {@code FID[features]}. */
    public static final String FEATURES = "features";
    /** The registry name and report label of rows given as class logits: {@code Inception Score[logits]}. */
    public static final String LOGITS = "logits";

    private final boolean logits;

    private GivenRows(boolean logits) {
        this.logits = logits;
    }

    /** Rows that are feature vectors. */
    public static GivenRows features() {
        return new GivenRows(false);
    }

    /** Rows that are class logits. */
    public static GivenRows logits() {
        return new GivenRows(true);
    }

    @Override
    public String name() {
        return logits ? LOGITS : FEATURES;
    }

    @Override
    public boolean givesFeatures() {
        return !logits;
    }

    @Override
    public boolean givesLogits() {
        return logits;
    }

    @Override
    public boolean takesPixels() {
        return false;
    }

    @Override
    public Session open(int channels, int height, int width, Device device, boolean wantLogits) {
        return new Session() {
            @Override
            public Outputs run(FloatMatrix samples, boolean features, boolean asLogits) {
                return new Outputs(features && !logits ? samples : null, asLogits && logits ? samples : null);
            }

            @Override
            public String featureTag() {
                return logits ? null : "identity";
            }

            @Override
            public String logitsTag() {
                return logits ? "identity" : null;
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
