package dev.ganeval.core.onnx;

/** Where ONNX Runtime runs a model. */
public enum Device {
    /** The CPU execution provider (the default). */
    CPU,
    /** CUDA, and fail with one clear message when it is not available. */
    CUDA,
    /** CUDA when available, otherwise the CPU — a fallback the caller chose explicitly; {@link OnnxModel#device()} says which. */
    CUDA_OR_CPU
}
