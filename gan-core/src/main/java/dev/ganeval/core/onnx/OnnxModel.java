package dev.ganeval.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Sequential;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * An ONNX model with one float32 {@code [batch, width]} input, run by ONNX Runtime on the CPU or with CUDA.
 * Asking for {@link Device#CUDA} where the CUDA execution provider cannot be used (no GPU, or the CPU-only
 * {@code onnxruntime} artifact) fails with one {@link ModelLoadException} saying so; {@link Device#CUDA_OR_CPU}
 * falls back to the CPU and {@link #device()} reports what was used. That fallback also covers a model that CUDA
 * fails on although the up-front check ({@link #cudaUnavailable()}) passed: convolutions where cuDNN is missing, say.
 * Such a model is loaded on the CPU when its CUDA session cannot be created or its first run fails, {@link #fallback()}
 * says why, and a warning goes to the {@code dev.ganeval.core.onnx} {@link System.Logger}. On CUDA, matrix products run in full float32
 * (ONNX Runtime's TF32 default is turned off), so a score does not depend on the device it was computed on beyond
 * the kernels' rounding.
 */
public final class OnnxModel implements AutoCloseable {
    private final OrtEnvironment env;
    private volatile OrtSession session;
    private volatile Device device;
    /** The model while it runs on CUDA through CUDA_OR_CPU and has not yet run: what a CPU retry loads. */
    private volatile Source cpuRetry;
    /** Why this model was put on the CPU although CUDA was asked for, or null. */
    private volatile String fallback;
    /** Sessions given up for a CPU one; another thread may still be running on one, so they close with the model. */
    private final List<OrtSession> retired = new ArrayList<>();
    private final String inputName;
    private final long inputWidth;
    private final long[] inputShape;
    private final List<String> outputNames;
    private final Map<String, String> metadata;
    private final String description;

    private OnnxModel(OrtEnvironment env, OrtSession session, Device device, String description, Source cpuRetry,
                      String fallback) throws OrtException {
        this.env = env;
        this.session = session;
        this.device = device;
        this.description = description;
        this.cpuRetry = cpuRetry;
        this.fallback = fallback;
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
        return load(file, device, String.valueOf(file));
    }

    /**
     * Loads a model file, read by ONNX Runtime itself: the model's bytes never sit on the Java heap (a 1.2 GB vision
     * transformer would otherwise need one 1.2 GB array); {@code description} names it in errors.
     */
    public static OnnxModel load(Path file, Device device, String description) {
        return load(file, device, description, OnnxModel::addCuda, OnnxModel::cudaUnavailable);
    }

    /** {@link #load(Path, Device, String)} with the accelerator's setup and check given, as for the bytes. */
    static OnnxModel load(Path file, Device device, String description, ProviderSetup accelerator,
                          Supplier<Optional<String>> acceleratorUnavailable) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file, "no such model file", null);
        }
        if (!Files.isReadable(file)) {
            throw new ModelLoadException(file, "cannot be read (no permission)", null);
        }
        Path path = file.toAbsolutePath();
        FileStamp loaded = FileStamp.of(path);
        // A CPU retry (CUDA_OR_CPU) reads the file again, possibly long after: it must still be the model loaded.
        return load((env, opts) -> {
            if (!loaded.equals(FileStamp.of(path))) {
                throw new ModelLoadException(file, "changed on disk since it was loaded, so it cannot be reloaded on the "
                        + "CPU after CUDA failed; load it again", null);
            }
            return env.createSession(path.toString(), opts);
        }, device, description, accelerator, acceleratorUnavailable);
    }

    /**
     * A file's identity (its inode where the file system has one), size and modification time: what tells a file
     * rewritten or replaced (renamed over, as atomic writers do) since it was read.
     */
    private record FileStamp(Object key, long size, java.nio.file.attribute.FileTime modified) {
        static FileStamp of(Path file) {
            try {
                var a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                return new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime());
            } catch (java.io.IOException e) {
                throw new ModelLoadException(file, "cannot be read: " + e.getMessage(), e);
            }
        }
    }

    /** Loads a model from its serialised bytes; {@code description} names it in errors. */
    public static OnnxModel load(byte[] model, Device device, String description) {
        return load(model, device, description, OnnxModel::addCuda, OnnxModel::cudaUnavailable);
    }

    /** Where a session's model comes from: bytes in memory, or a file ONNX Runtime reads itself. */
    @FunctionalInterface
    private interface Source {
        OrtSession open(OrtEnvironment env, OrtSession.SessionOptions opts) throws OrtException;
    }

    /**
     * {@link #load(byte[], Device, String)} with the accelerator's session setup and its up-front check given: the
     * seam the tests use to make "CUDA" fail in the ways a GPU machine can, on a CPU-only build.
     */
    static OnnxModel load(byte[] model, Device device, String description, ProviderSetup accelerator,
                          Supplier<Optional<String>> acceleratorUnavailable) {
        Objects.requireNonNull(model, "model");
        return load((env, opts) -> env.createSession(model, opts), device, description, accelerator, acceleratorUnavailable);
    }

    private static OnnxModel load(Source model, Device device, String description, ProviderSetup accelerator,
                                  Supplier<Optional<String>> acceleratorUnavailable) {
        Objects.requireNonNull(device, "device");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (device == Device.CPU) {
            return onCpu(env, model, description, null);
        }
        Optional<String> noCuda = acceleratorUnavailable.get();
        if (noCuda.isPresent()) {
            if (device == Device.CUDA) {
                throw new ModelLoadException(description + ": CUDA was requested but ONNX Runtime cannot use it here ("
                        + noCuda.get() + "); " + cudaAdvice(gpuBuild())
                        + ", or choose the CPU (or CUDA_OR_CPU, --device cuda-or-cpu, to fall back)", null);
            }
            // Said once by whoever asked cudaUnavailable() up front, not once per model.
            return onCpu(env, model, description, "CUDA cannot be used here (" + noCuda.get() + ")");
        }
        OrtSession session;
        try (OrtSession.SessionOptions opts = options()) {
            accelerator.apply(opts);
            session = model.open(env, opts);
        } catch (OrtException e) {
            if (unreadableModel(e)) {
                // The file, not CUDA: no device would read it.
                throw ModelLoadException.unreadable(description + ": ONNX Runtime could not load the model: " + oneLine(e), e);
            }
            if (device == Device.CUDA) {
                throw new ModelLoadException(description + ": ONNX Runtime could not load the model with CUDA: "
                        + oneLine(e) + "; " + cudaAdvice(gpuBuild())
                        + ", or choose the CPU (or CUDA_OR_CPU, --device cuda-or-cpu, to fall back)", e);
            }
            String why = "CUDA could not load it (" + oneLine(e) + ")";
            warnFallback(description, why);
            return onCpu(env, model, description, why);
        }
        return wrap(env, session, Device.CUDA, description, device == Device.CUDA_OR_CPU ? model : null, null);
    }

    private static OnnxModel onCpu(OrtEnvironment env, Source model, String description, String fallback) {
        OrtSession session;
        try {
            session = cpuSession(env, model);
        } catch (OrtException e) {
            String message = description + ": ONNX Runtime could not load the model: " + oneLine(e);
            throw unreadableModel(e) ? ModelLoadException.unreadable(message, e) : new ModelLoadException(message, e);
        }
        return wrap(env, session, Device.CPU, description, null, fallback);
    }

    /**
     * Whether ONNX Runtime refused the model's bytes themselves (not a protobuf, no graph, an invalid graph), as opposed
     * to the machine (memory, a provider) or an operator it does not implement.
     */
    private static boolean unreadableModel(OrtException e) {
        return switch (e.getCode()) {
            case ORT_INVALID_PROTOBUF, ORT_INVALID_GRAPH, ORT_NO_MODEL -> true;
            // An empty file parses as a model without a graph.
            case ORT_FAIL -> String.valueOf(e.getMessage()).contains("ModelProto does not have a graph");
            default -> false;
        };
    }

    /** The model around a new session, which is closed if the model turns out unusable (two inputs, say). */
    private static OnnxModel wrap(OrtEnvironment env, OrtSession session, Device device, String description, Source cpuRetry,
                                  String fallback) {
        try {
            return new OnnxModel(env, session, device, description, cpuRetry, fallback);
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelLoadException(description + ": ONNX Runtime could not read the model's inputs and outputs: "
                    + oneLine(e), e);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static OrtSession cpuSession(OrtEnvironment env, Source model) throws OrtException {
        try (OrtSession.SessionOptions opts = options()) {
            return model.open(env, opts);
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        if (ComputeThreads.explicit()) {
            opts.setIntraOpNumThreads(ComputeThreads.get());
        }
        return opts;
    }

    private static final AtomicLong CPU_FALLBACKS = new AtomicLong();

    private static void warnFallback(String description, String why) {
        CPU_FALLBACKS.incrementAndGet();
        System.getLogger("dev.ganeval.core.onnx").log(System.Logger.Level.WARNING, description + ": " + why
                + "; running it on the CPU, as CUDA_OR_CPU (--device cuda-or-cpu) allows");
    }

    /**
     * How many models {@link Device#CUDA_OR_CPU} has put on the CPU in this process after the up-front check said
     * CUDA could be used, because CUDA then failed for them: for reports that name the device a run used.
     */
    public static long cpuFallbacks() {
        return CPU_FALLBACKS.get();
    }

    /** ONNX Runtime's message on one line: some span several ("Got invalid dimensions ...\n index: 0 ..."). */
    private static String oneLine(OrtException e) {
        return String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void closeQuietly(OrtSession s) {
        try {
            s.close();
        } catch (OrtException ignored) {
            // Nothing to tell the user beyond the failure being reported.
        }
    }

    /**
     * True when this class path holds ONNX Runtime's GPU build (its CUDA provider library is packaged with it):
     * then CUDA failing is the machine's doing, not the build's.
     */
    static boolean gpuBuild() {
        return gpuBuild(OnnxModel.class.getClassLoader(), System.getProperty(NATIVE_PATH_PROPERTY));
    }

    /**
     * ONNX Runtime's Java loader takes its native libraries from this folder instead of the jar when the property is
     * set (a GPU build's libraries beside a CPU-only jar, say), so the provider library may be there rather than on
     * the class path.
     */
    static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";

    static boolean gpuBuild(ClassLoader loader, String nativePath) {
        String[] cudaProvider = {"libonnxruntime_providers_cuda.so", "onnxruntime_providers_cuda.dll"};
        for (String name : cudaProvider) {
            if (nativePath != null && Files.isRegularFile(Path.of(nativePath, name))) {
                return true;
            }
        }
        return loader.getResource("ai/onnxruntime/native/linux-x64/" + cudaProvider[0]) != null
                || loader.getResource("ai/onnxruntime/native/win-x64/" + cudaProvider[1]) != null;
    }

    /**
     * Adds the CUDA provider on GPU 0 with TF32 off. ONNX Runtime lets Ampere and newer GPUs run float32 matrix
     * products in TF32 (a 10-bit mantissa) unless told otherwise; on an H100 that put the paper generator's samples
     * 2e-4 away from the Java forward pass and moved KID and IS in their third digit, while the MLPs ganeval runs
     * gain nothing measurable from it (docs/onnx.md).
     */
    static void addCuda(OrtSession.SessionOptions opts) throws OrtException {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(0)) {
            cuda.add("use_tf32", "0");
            opts.addCUDA(cuda);
        }
    }

    /** What to do about CUDA failing, for the CPU-only build or for the GPU build on a machine CUDA does not work on. */
    static String cudaAdvice(boolean gpuBuild) {
        return gpuBuild
                ? "this is ONNX Runtime's GPU build, which needs an NVIDIA GPU with its driver and the CUDA 12 libraries "
                        + "(runtime 12.8 or newer, cuBLAS, cuRAND; cuDNN 9 for convolutions) on the library path "
                        + "(LD_LIBRARY_PATH; ONNX Runtime's own log line, if it printed one, names the library or symbol it "
                        + "could not load)"
                : "this is ONNX Runtime's CPU-only build: build with -Pcuda (./ganeval: GANEVAL_MAVEN_OPTS=-Pcuda) on a "
                        + "machine with an NVIDIA GPU";
    }

    private static volatile Optional<String> cudaProbe;

    /**
     * Why ONNX Runtime cannot use CUDA in this process (the CPU-only artifact, no GPU, missing or mismatched CUDA
     * libraries), or empty when it can: the test {@link Device#CUDA_OR_CPU} makes before falling back, for callers
     * that want to say so once before loading anything. Adding the CUDA provider can succeed where CUDA still
     * fails, at session creation or at the first run (a GPU build on a machine whose driver or cuDNN is missing),
     * so the test builds and runs a one-layer model with it; the answer is kept for the life of the process.
     */
    public static Optional<String> cudaUnavailable() {
        Optional<String> known = cudaProbe;
        if (known == null) {
            synchronized (OnnxModel.class) {
                known = cudaProbe;
                if (known == null) {
                    known = probe(OnnxModel::addCuda);
                    cudaProbe = known;
                }
            }
        }
        return known;
    }

    /** Session options an execution provider would set, which may fail. */
    @FunctionalInterface
    interface ProviderSetup {
        void apply(OrtSession.SessionOptions opts) throws OrtException;
    }

    /**
     * Why a one-layer model cannot be loaded and run with {@code setup} applied to its session options (the first
     * failure's message), or empty when it runs.
     */
    static Optional<String> probe(ProviderSetup setup) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            setup.apply(opts);
            byte[] model = OnnxExport.export(new Sequential(new Linear(PROBE_WIDTH, 2)), "x", PROBE_WIDTH, "y", 2, true,
                    "ganeval-cuda-probe");
            try (OrtSession session = env.createSession(model, opts);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[PROBE_WIDTH]), new long[] {1, PROBE_WIDTH});
                 OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), x))) {
                return Optional.empty();
            }
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException | IllegalStateException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** The probe's model is a linear layer and a sigmoid: the MatMul, Add and activation kernels ganeval's networks use. */
    private static final int PROBE_WIDTH = 4;

    /** The device the session actually runs on (after a {@link Device#CUDA_OR_CPU} fallback, the CPU). */
    public Device device() {
        return device;
    }

    /**
     * Why this model runs on the CPU although CUDA was asked for ({@link Device#CUDA_OR_CPU}), or empty when it runs
     * where it was asked to.
     */
    public Optional<String> fallback() {
        return Optional.ofNullable(fallback);
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
        return run(data, shape, List.of(output)).get(output);
    }

    /**
     * As {@link #run(float[], long[], String)} for several outputs of one forward pass (features and logits of the same
     * images cost one run, not two), in the order asked.
     *
     * @throws ModelLoadException if an output does not exist or the run fails
     */
    public Map<String, FloatMatrix> run(float[] data, long[] shape, List<String> outputs) {
        Objects.requireNonNull(outputs, "outputs");
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("ask for at least one output; the model has " + outputNames);
        }
        for (String output : outputs) {
            if (!outputNames.contains(output)) {
                throw new ModelLoadException(description + ": no output named '" + output + "'; the model has " + outputNames, null);
            }
        }
        OrtSession s = session;
        try {
            Map<String, FloatMatrix> result = run(s, data, shape, outputs);
            cpuRetry = null;
            return result;
        } catch (OrtException e) {
            if (!retryOnCpu(s, e)) {
                throw new ModelLoadException(description + ": inference failed: " + oneLine(e), e);
            }
        }
        try {
            return run(session, data, shape, outputs);
        } catch (OrtException e) {
            throw new ModelLoadException(description + ": inference failed (on the CPU, after CUDA failed): " + oneLine(e), e);
        }
    }

    /**
     * After a failed run on {@code failed}: true when this model may and did move to the CPU (CUDA_OR_CPU, and no run
     * has succeeded on CUDA yet), or when another thread's failure moved it already.
     */
    private synchronized boolean retryOnCpu(OrtSession failed, OrtException e) {
        if (session != failed) {
            return true;
        }
        Source model = cpuRetry;
        if (model == null) {
            return false;
        }
        try {
            session = cpuSession(env, model);
        } catch (OrtException cpu) {
            throw new ModelLoadException(description + ": CUDA failed on the first run (" + oneLine(e)
                    + ") and the model could not be loaded on the CPU either: " + oneLine(cpu), cpu);
        }
        retired.add(failed);
        cpuRetry = null;
        device = Device.CPU;
        fallback = "CUDA failed on its first run (" + oneLine(e) + ")";
        warnFallback(description, fallback);
        return true;
    }

    private Map<String, FloatMatrix> run(OrtSession s, float[] data, long[] shape, List<String> outputs) throws OrtException {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result r = s.run(Map.of(inputName, t), new java.util.LinkedHashSet<>(outputs))) {
            Map<String, FloatMatrix> result = new java.util.LinkedHashMap<>();
            for (String output : outputs) {
                OnnxValue v = r.get(output).orElseThrow(() -> new ModelLoadException(description + ": output '" + output
                        + "' missing from the run's results", null));
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
                result.put(output, new FloatMatrix((int) outShape[0], (int) cols, values));
            }
            return result;
        }
    }

    @Override
    public synchronized void close() {
        try {
            for (OrtSession s : retired) {
                closeQuietly(s);
            }
            retired.clear();
            session.close();
        } catch (OrtException e) {
            throw new ModelLoadException(description + ": closing the session failed: " + e.getMessage(), e);
        }
    }
}
