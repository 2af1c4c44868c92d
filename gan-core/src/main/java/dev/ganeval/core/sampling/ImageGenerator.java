package dev.ganeval.core.sampling;

import dev.ganeval.core.Generator;

/**
 * A {@link Generator} of images whose form it declares: each sample is {@code C×H×W} values in a known
 * {@link PixelRange}, drawn from a known {@link Noise}. This is what {@link GeneratorSource} needs to turn samples into
 * images in [0, 1]; {@code dev.ganeval.core.onnx.OnnxGenerator} is one.
 */
public interface ImageGenerator extends Generator {
    /** The noise the samples are drawn from. */
    Noise noise();

    /** The range the sample values lie in. */
    PixelRange pixelRange();

    /** Channels, height, width of one sample (a fresh array). */
    int[] sampleShape();

    /** What the generator is called in messages, e.g. the file it was loaded from. */
    String description();
}
