package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;

/**
 * A feature network as the evaluation sees it: a name for reports, which outputs it can give (features for FID, KID,
 * PRDC...; class logits for the Inception Score), and a session opened for one image geometry that maps a batch of
 * samples to both in one forward pass. Registered by name in {@link FeatureNetworks}; a new network is one class that
 * implements this and one registry line.
 */
public interface FeatureNetwork {
    /** The name reports put in brackets: {@code FID[mnist-mlp]}. */
    String name();

    /** Whether {@link Session#run} can give features (all but {@link GivenRows#logits()} do). */
    default boolean givesFeatures() {
        return true;
    }

    /** Whether {@link Session#run} can give class logits (for the Inception Score). */
    boolean givesLogits();

    /**
     * Whether the network resizes every image to its own input size, so that sides of different image sizes (and gray
     * with colour) can be compared through it.
     */
    default boolean resizes() {
        return false;
    }

    /**
     * Whether the inputs must be pixels in [0, 1] (a network's preprocessing maps them to its input range) — false where
     * the rows are the features already.
     */
    boolean takesPixels();

    /**
     * A session for samples of {@code channels × height × width} values; loads the network and checks that it can take
     * them and has the outputs it promised, before any sample is read.
     *
     * @throws dev.ganeval.core.InvalidInputException      when the samples' geometry does not fit the network
     * @throws dev.ganeval.core.onnx.ModelLoadException when the network cannot be loaded or lacks an output
     */
    Session open(int channels, int height, int width, Device device, boolean logits);

    /**
     * Refuses plain rows (a {@code 1 × 1 × width} source) for a network that resizes images: there is no image shape
     * to resize.
     */
    static void requireImages(String network, int channels, int height, int width) {
        if (channels == 1 && height == 1) {
            throw new dev.ganeval.core.InvalidInputException("the samples are plain rows of " + width + " values, not images, "
                    + "so they cannot be resized for " + network + ": save them as images (an n x h x w .npy, a folder or an "
                    + "IDX file)");
        }
    }

    /** One network loaded for one geometry. Not thread-safe. */
    interface Session extends AutoCloseable {
        /** Features and (when the session was opened for them) logits of a batch; either may be null when not asked. */
        Outputs run(FloatMatrix samples, boolean features, boolean logits);

        /** Names the network, output and preprocessing of the features, e.g. {@code onnx:x.onnx@sha256:…/pool/…}. */
        String featureTag();

        /** As {@link #featureTag()} for the logits, or null when the session gives none. */
        String logitsTag();

        /** The preprocessing protocol, e.g. {@code pytorch-fid-bilinear-299}, or {@code as-given}. */
        String protocol();

        /** What opening the session found that a careful user wants to know (weights that are not the published ones). */
        default java.util.List<String> warnings() {
            return java.util.List.of();
        }

        /**
         * This session's network for images of another size, sharing what this session loaded (closed when both are), or
         * empty when the network must be opened again for them.
         */
        default java.util.Optional<Session> forImages(int channels, int height, int width, boolean logits) {
            return java.util.Optional.empty();
        }

        @Override
        void close();
    }

    /** What one forward pass gave. */
    record Outputs(FloatMatrix features, FloatMatrix logits) {
    }
}
