package dev.ganeval.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ONNX model with one float32 {@code [batch, width]} input, run by ONNX Runtime on the CPU or with CUDA.
 * Asking for {@link Device#CUDA} where the CUDA execution provider cannot be used (no GPU, or the CPU-only
 * {@code onnxruntime} artifact) fails with one {@link ModelLoadException} saying so; {@link Device#CUDA_OR_CPU}
 * falls back to the CPU and {@link #device()} reports what was used.
 */
public final class OnnxModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Device device;
    private final String inputName;
    private final long inputWidth;
    private final long[] inputShape;
    private final List<String> outputNames;
    private final Map<String, String> metadata;
    private final String description;

    private OnnxModel(OrtEnvironment env, OrtSession session, Device device, String description) throws OrtException {
        this.env = env;
        this.session = session;
        this.device = device;
        this.description = description;
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1) {
            throw new ModelLoadException(description + ": the model has " + inputs.size() + " inputs " + inputs.keySet()
                    + "; ganeval runs models with exactly one", null);
        }
        this.inputName = inputs.keySet().iterator().next();
        NodeInfo info = inputs.get(inputName);
        long width = -1;
        long[] shape = new long[0];
        if (info.getInfo() instanceof TensorInfo t) {
            shape = t.getShape();
            if (shape.length == 2) {
                width = shape[1];
            }
        }
        this.inputWidth = width;
        this.inputShape = shape;
        this.outputNames = new ArrayList<>(session.getOutputNames());
        this.metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
    }

    /** Loads a model file. */
    public static OnnxModel load(Path file, Device device) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file, "no such model file", null);
        }
        try {
            return load(Files.readAllBytes(file), device, file.toString());
        } catch (java.io.IOException e) {
            throw new ModelLoadException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Loads a model from its serialised bytes; {@code description} names it in errors. */
    public static OnnxModel load(byte[] model, Device device, String description) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(device, "device");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Device used = Device.CPU;
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (ComputeThreads.explicit()) {
                opts.setIntraOpNumThreads(ComputeThreads.get());
            }
            if (device != Device.CPU) {
                Throwable noCuda = addCuda(opts);
                if (noCuda == null) {
                    used = Device.CUDA;
                } else if (device == Device.CUDA) {
                    throw new ModelLoadException(description + ": CUDA was requested but ONNX Runtime cannot use it here ("
                            + noCuda.getMessage() + "); build with -Donnxruntime.artifact=onnxruntime_gpu on a machine with an "
                            + "NVIDIA GPU, or choose the CPU (or CUDA_OR_CPU, --device cuda-or-cpu, to fall back)", noCuda);
                }
            }
            OrtSession session = env.createSession(model, opts);
            return new OnnxModel(env, session, used, description);
        } catch (OrtException e) {
            throw new ModelLoadException(description + ": ONNX Runtime could not load the model: " + e.getMessage(), e);
        }
    }

    /**
     * Why ONNX Runtime cannot use CUDA in this process (the CPU-only artifact, no GPU, missing CUDA libraries), or
     * empty when its CUDA execution provider can be added: the test {@link Device#CUDA_OR_CPU} makes before falling
     * back, for callers that want to say so once before loading anything.
     */
    public static Optional<String> cudaUnavailable() {
        OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            Throwable noCuda = addCuda(opts);
            return noCuda == null ? Optional.empty() : Optional.of(String.valueOf(noCuda.getMessage()));
        }
    }

    /** Adds the CUDA execution provider to {@code opts}; the failure, or null when it was added. */
    private static Throwable addCuda(OrtSession.SessionOptions opts) {
        try {
            opts.addCUDA(0);
            return null;
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
            return e;
        }
    }

    /** The device the session actually runs on. */
    public Device device() {
        return device;
    }

    public String inputName() {
        return inputName;
    }

    /** The input's declared shape (−1 for free dimensions such as the batch). */
    public long[] inputShape() {
        return inputShape.clone();
    }

    /** The input's declared width for a {@code [batch, width]} input, or -1 if it is not fixed or not 2-D. */
    public long inputWidth() {
        return inputWidth;
    }

    public List<String> outputNames() {
        return List.copyOf(outputNames);
    }

    /**
     * The declared shape of an output (−1 for free dimensions such as the batch).
     *
     * @throws ModelLoadException if there is no such output, or it is not a tensor
     */
    public long[] outputShape(String output) {
        try {
            NodeInfo info = session.getOutputInfo().get(output);
            if (info == null) {
                throw new ModelLoadException(description + ": no output named '" + output + "'; the model has " + outputNames, null);
            }
            if (!(info.getInfo() instanceof TensorInfo t)) {
                throw new ModelLoadException(description + ": output '" + output + "' is not a tensor", null);
            }
            return t.getShape();
        } catch (OrtException e) {
            throw new ModelLoadException(description + ": cannot read the output shapes: " + e.getMessage(), e);
        }
    }

    /** The model's custom metadata ({@code metadata_props}); ganeval's exports describe their noise there. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** What the model is called in messages: its file or the description it was loaded with. */
    public String description() {
        return description;
    }

    /** Runs the model and returns its first output. */
    public FloatMatrix run(FloatMatrix input) {
        return run(input, outputNames.get(0));
    }

    /**
     * Runs the model and returns the named output as a {@code [batch, width]} matrix.
     *
     * @throws ModelLoadException if the output does not exist, the input width is wrong, or the run fails
     */
    public FloatMatrix run(FloatMatrix input, String output) {
        Objects.requireNonNull(input, "input");
        if (!outputNames.contains(output)) {
            throw new ModelLoadException(description + ": no output named '" + output + "'; the model has " + outputNames, null);
        }
        if (inputWidth > 0 && input.cols() != inputWidth) {
            throw new ModelLoadException(description + ": input '" + inputName + "' takes " + inputWidth
                    + " values per row, got " + input.cols(), null);
        }
        return run(input.data(), new long[] {input.rows(), input.cols()}, output);
    }

    /**
     * Runs the model on a float32 tensor of any shape (e.g. NCHW images) and returns the named output with its
     * first dimension as rows and the rest flattened.
     */
    public FloatMatrix run(float[] data, long[] shape, String output) {
        if (!outputNames.contains(output)) {
            throw new ModelLoadException(description + ": no output named '" + output + "'; the model has " + outputNames, null);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result r = session.run(Map.of(inputName, t), java.util.Set.of(output))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor out)) {
                throw new ModelLoadException(description + ": output '" + output + "' is not a tensor", null);
            }
            long[] outShape = out.getInfo().getShape();
            long cols = 1;
            for (int i = 1; i < outShape.length; i++) {
                cols *= outShape[i];
            }
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            return new FloatMatrix((int) outShape[0], (int) cols, values);
        } catch (OrtException e) {
            throw new ModelLoadException(description + ": inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelLoadException(description + ": closing the session failed: " + e.getMessage(), e);
        }
    }
}
