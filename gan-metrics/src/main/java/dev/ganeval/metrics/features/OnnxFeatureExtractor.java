package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.ModelLoadException;
import dev.ganeval.core.onnx.OnnxModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Features from any ONNX network with pytorch-fid's preprocessing: images (rows of {@code C × H × W} values in
 * [0, 1], channel-planar) are replicated to three channels when gray, resized to the network's input size with
 * {@link BilinearResize} (PyTorch's bilinear, align_corners = False, no antialias), mapped to [−1, 1] by
 * {@code 2x − 1}, fed as NCHW (or flattened, for a network with a 2-D input), and the output chosen by name is
 * returned. Batched, so memory is bounded by the batch size.
 */
public final class OnnxFeatureExtractor implements FeatureExtractor, AutoCloseable {
    /** Why a feature network needs pixels in [0, 1], and the fix, for {@link UnitRange#require}. */
    public static final String PIXELS_IN_UNIT_RANGE =
            "the network's preprocessing expects pixels in [0, 1] (scale the samples, e.g. (x + 1) / 2 for [-1, 1] or x / 255)";
    private final OnnxModel model;
    private final String output;
    private final int channels;
    private final int height;
    private final int width;
    private final int modelChannels;
    private final int size;
    private final boolean flatInput;
    private final int batchSize;
    private final int dim;
    private final String tag;
    private final String name;
    private final String tagPrefix;

    /**
     * @param modelFile    the ONNX network
     * @param output       the output to read (e.g. the 2048-d pool features, or logits for IS)
     * @param channels     channels of the input images (1 or 3)
     * @param height       height of the input images
     * @param width        width of the input images
     * @param size         the network's square input size, e.g. 299 for Inception-v3
     */
    public OnnxFeatureExtractor(Path modelFile, String output, int channels, int height, int width, int size,
                                Device device, int batchSize) {
        this(read(modelFile), modelFile.getFileName().toString(), output, channels, height, width, size, device, batchSize);
    }

    private static byte[] read(Path modelFile) {
        Objects.requireNonNull(modelFile, "modelFile");
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException(modelFile, "no such model file", null);
        }
        try {
            return Files.readAllBytes(modelFile);
        } catch (IOException e) {
            throw new ModelLoadException(modelFile, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** As the file constructor, from a model's bytes; {@code name} labels it in the tag and in errors. */
    public OnnxFeatureExtractor(byte[] modelBytes, String name, String output, int channels, int height, int width, int size,
                                Device device, int batchSize) {
        Objects.requireNonNull(modelBytes, "modelBytes");
        Objects.requireNonNull(output, "output");
        Path modelFile = Path.of(name);
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("images must have 1 or 3 channels, got " + channels);
        }
        if (height < 1 || width < 1 || size < 1 || batchSize < 1) {
            throw new InvalidInputException("image sizes, network input size and batch size must be positive");
        }
        this.model = OnnxModel.load(modelBytes, device, name);
        if (!model.outputNames().contains(output)) {
            model.close();
            throw new ModelLoadException(modelFile, "no output named '" + output + "'; the network has " + model.outputNames(), null);
        }
        long[] shape = model.inputShape();
        if (shape.length == 4) {
            this.modelChannels = (int) shape[1];
            this.flatInput = false;
        } else if (shape.length == 2 && shape[1] > 0 && shape[1] % ((long) size * size) == 0) {
            this.modelChannels = (int) (shape[1] / ((long) size * size));
            this.flatInput = true;
        } else {
            model.close();
            throw new ModelLoadException(modelFile, "the network's input shape " + java.util.Arrays.toString(shape)
                    + " is neither NCHW nor [batch, C·" + size + "·" + size + "]", null);
        }
        if (modelChannels != 3 && modelChannels != channels) {
            model.close();
            throw new ModelLoadException(modelFile, "the network takes " + modelChannels + " channels; images have " + channels, null);
        }
        this.output = output;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.size = size;
        this.batchSize = batchSize;
        this.dim = model.run(new float[modelChannels * size * size], inputShape(1), output).cols();
        this.name = name;
        this.tagPrefix = "onnx:" + name + "@sha256:" + sha256(modelBytes).substring(0, 12) + "/";
        this.tag = tag(output);
    }

    private long[] inputShape(int n) {
        return flatInput ? new long[] {n, (long) modelChannels * size * size} : new long[] {n, modelChannels, size, size};
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public FloatMatrix extract(FloatMatrix images) {
        return extract(images, Progress.NONE);
    }

    /**
     * @throws InvalidInputException when rows are not {@code C × H × W} values, or a value is outside [0, 1] or not
     *                               finite (the preprocessing would map it to a plausible but wrong input)
     */
    @Override
    public FloatMatrix extract(FloatMatrix images, Progress progress) {
        return extract(images, List.of(output), progress).get(output);
    }

    /**
     * Several outputs of the network from one forward pass per batch (the features and the class logits of the same
     * images, say), by name in the order asked.
     *
     * @throws InvalidInputException as {@link #extract(FloatMatrix, Progress)}
     * @throws ModelLoadException    if the network has no output of one of the names
     */
    public Map<String, FloatMatrix> extract(FloatMatrix images, List<String> outputs, Progress progress) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(progress, "progress");
        for (String o : outputs) {
            if (!model.outputNames().contains(o)) {
                throw new ModelLoadException(Path.of(name), "no output named '" + o + "'; the network has " + model.outputNames(), null);
            }
        }
        int per = channels * height * width;
        if (images.cols() != per) {
            throw new InvalidInputException("images have " + images.cols() + " values per row; " + channels + "x" + height
                    + "x" + width + " needs " + per);
        }
        UnitRange.require(images, "images", PIXELS_IN_UNIT_RANGE);
        int plane = size * size;
        int perModel = modelChannels * plane;
        Map<String, FloatMatrix> result = new LinkedHashMap<>();
        for (int b0 = 0; b0 < images.rows(); b0 += batchSize) {
            int n = Math.min(batchSize, images.rows() - b0);
            float[] input = new float[n * perModel];
            for (int i = 0; i < n; i++) {
                float[] img = new float[per];
                System.arraycopy(images.data(), (b0 + i) * per, img, 0, per);
                float[] resized = BilinearResize.resize(img, channels, height, width, size, size);
                for (int c = 0; c < modelChannels; c++) {
                    int src = (channels == 1 ? 0 : c) * plane;
                    int dst = i * perModel + c * plane;
                    for (int p = 0; p < plane; p++) {
                        input[dst + p] = 2f * resized[src + p] - 1f;
                    }
                }
            }
            Map<String, FloatMatrix> out = model.run(input, inputShape(n), outputs);
            for (String o : outputs) {
                FloatMatrix f = out.get(o);
                FloatMatrix all = result.computeIfAbsent(o, k -> new FloatMatrix(images.rows(), f.cols()));
                System.arraycopy(f.data(), 0, all.data(), b0 * f.cols(), n * f.cols());
            }
            progress.update(b0 + n, images.rows());
        }
        for (String o : outputs) {
            // No rows: each output's width as the network gives it for one image.
            result.computeIfAbsent(o, k -> new FloatMatrix(0, model.run(new float[perModel], inputShape(1), k).cols()));
        }
        return result;
    }

    /** Whether the network has an output of this name. */
    public boolean hasOutput(String name) {
        return model.outputNames().contains(name);
    }

    /** The network's outputs. */
    public List<String> outputNames() {
        return model.outputNames();
    }

    /** As {@link #tag()} for another output of the same network. */
    public String tag(String output) {
        return tagPrefix + output + "/pytorch-fid-bilinear-" + size;
    }

    /** The preprocessing protocol in the tag: {@code pytorch-fid-bilinear-299}. */
    public String protocol() {
        return "pytorch-fid-bilinear-" + size;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void close() {
        model.close();
    }
}
