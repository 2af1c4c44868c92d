package dev.ganeval.metrics.features;

import dev.ganeval.core.Progress;
import dev.ganeval.core.linalg.FloatMatrix;

/**
 * Maps a batch of samples (one per row) to feature vectors (one per row). {@link #tag()} names the network, the
 * layer and the preprocessing, so numbers computed with different protocols are never compared by accident.
 */
public interface FeatureExtractor {
    FloatMatrix extract(FloatMatrix samples);

    /** As {@link #extract(FloatMatrix)}, reporting rows done to {@code progress} (at least once, at the end). */
    default FloatMatrix extract(FloatMatrix samples, Progress progress) {
        FloatMatrix f = extract(samples);
        progress.update(samples.rows(), samples.rows());
        return f;
    }

    /** E.g. {@code onnx:inception.onnx@sha256:3f2a…/pool/pytorch-fid-bilinear-299}. */
    String tag();

    /** Features per sample. */
    int dim();

    /** The identity: the samples are the features (pixel-space metrics). */
    static FeatureExtractor identity(int dim) {
        return new FeatureExtractor() {
            @Override
            public FloatMatrix extract(FloatMatrix samples) {
                return samples;
            }

            @Override
            public String tag() {
                return "identity";
            }

            @Override
            public int dim() {
                return dim;
            }
        };
    }
}
