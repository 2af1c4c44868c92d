package dev.ganeval.metrics.features;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Parallel;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.ModelLoadException;
import dev.ganeval.core.onnx.OnnxModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

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
    /** The model as its user named it (a path, or the name of one built in memory), for errors. */
    private final Path source;
    private final String tagPrefix;
    private final InceptionProtocol protocol;
    /** The batch size the network's input fixes, or 0 when it is dynamic. */
    private final int fixedBatch;
    /** Extractors sharing {@link #model} ({@link #forImages}): the last one closed closes it. */
    private final AtomicInteger users;
    private final AtomicBoolean closed = new AtomicBoolean();

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
        this(modelFile, output, channels, height, width, size, InceptionProtocol.PYTORCH_FID, device, batchSize);
    }

    /** As the file constructor, with the preprocessing {@code protocol} (see the bytes constructor). */
    public OnnxFeatureExtractor(Path modelFile, String output, int channels, int height, int width, int size,
                                InceptionProtocol protocol, Device device, int batchSize) {
        this(modelFile, Objects.requireNonNull(modelFile, "modelFile").getFileName().toString(), output, channels, height,
                width, size, protocol, device, batchSize);
    }

    /**
     * As the file constructor, the features labelled {@code name}. ONNX Runtime reads the file itself, so a large
     * network's bytes are never held on the Java heap; the tag's hash is then computed by reading the file once more.
     */
    public OnnxFeatureExtractor(Path modelFile, String name, String output, int channels, int height, int width, int size,
                                InceptionProtocol protocol, Device device, int batchSize) {
        this(fileModel(modelFile), Objects.requireNonNull(name, "name"), modelFile, output, channels, height, width, size,
                protocol, device, batchSize);
    }

    /** A model to load, and the SHA-256 of its bytes for the tag. */
    private record Model(Function<Device, OnnxModel> load, Supplier<String> sha256) {}

    private static Model fileModel(Path modelFile) {
        Objects.requireNonNull(modelFile, "modelFile");
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelLoadException(modelFile, "no such model file", null);
        }
        return new Model(device -> OnnxModel.load(modelFile, device, modelFile.toString()), () -> {
            try (InputStream in = Files.newInputStream(modelFile)) {
                MessageDigest sha = sha256();
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (IOException e) {
                throw new ModelLoadException(modelFile, "cannot be read: " + e.getMessage(), e);
            }
        });
    }

    /** As the file constructor, from a model's bytes; {@code name} labels it in the tag and in errors. */
    public OnnxFeatureExtractor(byte[] modelBytes, String name, String output, int channels, int height, int width, int size,
                                Device device, int batchSize) {
        this(modelBytes, name, output, channels, height, width, size, InceptionProtocol.PYTORCH_FID, device, batchSize);
    }

    /**
     * As the other constructors, with the preprocessing {@code protocol} ({@link InceptionProtocol#PYTORCH_FID}: PyTorch's
     * bilinear resize and 2x − 1; {@link InceptionProtocol#TF}, {@link InceptionProtocol#CLEAN}).
     *
     * @param output the features' output, or null for the network's only output (else {@code pool})
     * @param size   the network's square input size, or 0 for the model's own when its input has a fixed size (else 299)
     * @throws ModelLoadException    when the network cannot take the images: another channel count, no such output, a
     *                               fixed input size other than {@code size}
     * @throws InvalidInputException when one image at {@code size} would not fit in memory
     */
    public OnnxFeatureExtractor(byte[] modelBytes, String name, String output, int channels, int height, int width, int size,
                                InceptionProtocol protocol, Device device, int batchSize) {
        this(bytesModel(modelBytes, name), name, Path.of(Objects.requireNonNull(name, "name")), output, channels, height,
                width, size, protocol, device, batchSize);
    }

    private static Model bytesModel(byte[] modelBytes, String name) {
        Objects.requireNonNull(modelBytes, "modelBytes");
        return new Model(device -> OnnxModel.load(modelBytes, device, name),
                () -> HexFormat.of().formatHex(sha256().digest(modelBytes)));
    }

    /** {@code name} labels the features; {@code modelFile} is the model as the user named it, for errors. */
    private OnnxFeatureExtractor(Model source, String name, Path modelFile, String output, int channels, int height,
                                 int width, int size, InceptionProtocol protocol, Device device, int batchSize) {
        Objects.requireNonNull(protocol, "protocol");
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("images must have 1 or 3 channels, got " + channels);
        }
        if (height < 1 || width < 1 || size < 0 || batchSize < 1) {
            throw new InvalidInputException("image sizes, network input size and batch size must be positive");
        }
        this.model = source.load().apply(device);
        // Every refusal below closes the session it loaded: a caller that catches the error leaks nothing.
        try {
            if (output == null) {
                // A network with one output needs no name for it; otherwise pytorch-fid's name for the features.
                output = model.outputNames().size() == 1 ? model.outputNames().get(0) : "pool";
            }
            if (!model.outputNames().contains(output)) {
                throw new ModelLoadException(modelFile, "no output named '" + output + "'; the network has " + model.outputNames(), null);
            }
            long[] shape = model.inputShape();
            if (shape.length == 4 && shape[3] == 3 && shape[1] != 3 && shape[1] > 0 && shape[1] == shape[2]) {
                throw new ModelLoadException(modelFile, "the network takes channels-last images " + java.util.Arrays.toString(shape)
                        + "; ganeval feeds NCHW (channels first): export it with its input as [N, 3, H, W]", null);
            }
            // A network exported with a fixed batch size runs every batch at that size (the last one padded).
            this.fixedBatch = shape.length > 0 && shape[0] > 0 ? (int) shape[0] : 0;
            // A network made for one input size (a 32x32 classifier) says so in its input shape: that size is used when none
            // is asked for, and another one asked for is refused here rather than by ONNX Runtime's "Got: 299 Expected: 32".
            if (shape.length == 4 && shape[2] > 0 && shape[3] > 0) {
                if (shape[2] != shape[3]) {
                    throw new ModelLoadException(modelFile, "the network takes " + shape[2] + "x" + shape[3] + " inputs; only square "
                            + "inputs are supported", null);
                }
                if (size == 0) {
                    size = (int) shape[2];
                } else if (size != shape[2]) {
                    throw new ModelLoadException(modelFile, "the network takes " + shape[2] + "x" + shape[3] + " inputs, not the "
                            + size + "x" + size + " asked for (--size " + size + "); leave --size out to use the network's own", null);
                }
            } else if (size == 0) {
                size = InceptionProtocol.DEFAULT_SIZE;
            }
            int fitting = fittingBatch(size, batchSize);
            if (fitting < 1) {
                throw new InvalidInputException(String.format(java.util.Locale.ROOT, "an input size of %d pixels needs %.1f GiB for "
                        + "one image as floats, more than a quarter of the %d MiB heap; Inception-v3 takes 299", size,
                        3.0 * size * size * 4 / (1 << 30), Runtime.getRuntime().maxMemory() >> 20));
            }
            batchSize = fixedBatch > 0 ? fixedBatch : fitting;
            if (shape.length == 4) {
                this.modelChannels = (int) shape[1];
                this.flatInput = false;
            } else if (shape.length == 2 && shape[1] > 0 && shape[1] % ((long) size * size) == 0) {
                this.modelChannels = (int) (shape[1] / ((long) size * size));
                this.flatInput = true;
            } else {
                throw new ModelLoadException(modelFile, "the network's input shape " + java.util.Arrays.toString(shape)
                        + " is neither NCHW nor [batch, C·" + size + "·" + size + "]", null);
            }
            if (modelChannels != 3 && modelChannels != channels) {
                throw new ModelLoadException(modelFile, "the network takes " + modelChannels + " channels; images have " + channels, null);
            }
            this.output = output;
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.size = size;
            this.batchSize = batchSize;
            this.protocol = protocol;
            int probe = Math.max(1, fixedBatch);
            this.dim = model.run(new float[probe * modelChannels * size * size], inputShape(probe), output).cols();
            this.name = name;
            this.source = modelFile;
            this.tagPrefix = "onnx:" + name + "@sha256:" + source.sha256().get().substring(0, 12) + "/";
            this.tag = tag(output);
            this.users = new AtomicInteger(1);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The largest batch, at most {@code wanted}, whose network input (3 × size² floats an image, twice: the resized
     * images and the tensor) fits in a quarter of the heap and in a Java array; 0 when not even one image does.
     */
    private static int fittingBatch(int size, int wanted) {
        long perImage = 3L * size * size;
        long byHeap = Runtime.getRuntime().maxMemory() / 4 / (2 * 4 * perImage);
        long byArray = (Integer.MAX_VALUE - 8) / perImage;
        return (int) Math.min(wanted, Math.min(byHeap, byArray));
    }

    /** {@code base}'s network and settings for images of another size: the same session, not a second one. */
    private OnnxFeatureExtractor(OnnxFeatureExtractor base, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new InvalidInputException("images must have 1 or 3 channels, got " + channels);
        }
        if (height < 1 || width < 1) {
            throw new InvalidInputException("image sizes must be positive, got " + width + "x" + height);
        }
        if (base.modelChannels != 3 && base.modelChannels != channels) {
            throw new ModelLoadException(base.source, "the network takes " + base.modelChannels + " channels; images have "
                    + channels, null);
        }
        this.model = base.model;
        this.output = base.output;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.modelChannels = base.modelChannels;
        this.size = base.size;
        this.flatInput = base.flatInput;
        this.batchSize = base.batchSize;
        this.dim = base.dim;
        this.tag = base.tag;
        this.name = base.name;
        this.source = base.source;
        this.tagPrefix = base.tagPrefix;
        this.protocol = base.protocol;
        this.fixedBatch = base.fixedBatch;
        this.users = base.users;
    }

    /**
     * This network, output and protocol for images of another size or channel count (the two sides of an evaluation,
     * say), running on this extractor's ONNX Runtime session rather than loading the model again: for a 1.2 GB vision
     * transformer that is 10 s and another 1.2 GB saved. The session is closed when the last extractor sharing it is.
     *
     * @throws IllegalStateException if this extractor is closed
     */
    public OnnxFeatureExtractor forImages(int channels, int height, int width) {
        if (closed.get() || users.getAndUpdate(n -> n == 0 ? 0 : n + 1) == 0) {
            throw new IllegalStateException("this feature extractor is closed");
        }
        try {
            return new OnnxFeatureExtractor(this, channels, height, width);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * Threads to prepare images on: the compute threads, fewer when each one's image and the protocol's scratch (a
     * 1024 × 1024 colour image and its half-resized planes: about 17 MB, twice for margin) would pass an eighth of the
     * heap between them.
     */
    private int preparingThreads(int per) {
        return ComputeThreads.withinHeap(2 * 4L * (per + (long) channels * height * size + 3L * size * size));
    }

    private long[] inputShape(int n) {
        return flatInput ? new long[] {n, (long) modelChannels * size * size} : new long[] {n, modelChannels, size, size};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
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
     * @throws IllegalStateException if this extractor is closed
     */
    public Map<String, FloatMatrix> extract(FloatMatrix images, List<String> outputs, Progress progress) {
        if (closed.get()) {
            // Its session may live on for an extractor made by forImages: say so rather than run on it.
            throw new IllegalStateException("this feature extractor is closed");
        }
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(progress, "progress");
        for (String o : outputs) {
            if (!model.outputNames().contains(o)) {
                throw new ModelLoadException(source, "no output named '" + o + "'; the network has " + model.outputNames(), null);
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
            int run = fixedBatch > 0 ? fixedBatch : n; // zero images pad a fixed-size batch; their outputs are dropped
            float[] input = new float[run * perModel];
            int first = b0;
            // The images of a batch are prepared on all threads, each its own images (so the same bits whatever the
            // count): on one, ONNX Runtime's threads waited 1 ms an image from 32 × 32 and 14 ms from 1024 × 1024 with
            // clean-fid's filter (11 ms on two), against about 58 ms an image of Inception on two cores.
            int parts = Math.min(n, preparingThreads(per));
            Parallel.run(parts, part -> {
                float[] img = new float[per];
                for (int i = n * part / parts, end = n * (part + 1) / parts; i < end; i++) {
                    System.arraycopy(images.data(), (first + i) * per, img, 0, per);
                    // 3 × size × size in the network's range; a network of one channel takes the first (gray is replicated).
                    float[] prepared = protocol.apply(img, channels, height, width, size);
                    System.arraycopy(prepared, 0, input, i * perModel, perModel);
                }
            });
            Map<String, FloatMatrix> out = model.run(input, inputShape(run), outputs);
            for (String o : outputs) {
                FloatMatrix f = out.get(o);
                FloatMatrix all = result.computeIfAbsent(o, k -> new FloatMatrix(images.rows(), f.cols()));
                System.arraycopy(f.data(), 0, all.data(), b0 * f.cols(), n * f.cols());
            }
            progress.update(b0 + n, images.rows());
        }
        for (String o : outputs) {
            // No rows: each output's width as the network gives it for one image.
            int probe = Math.max(1, fixedBatch);
            result.computeIfAbsent(o, k -> new FloatMatrix(0, model.run(new float[probe * perModel], inputShape(probe), k).cols()));
        }
        return result;
    }

    /** The output the features are read from. */
    public String output() {
        return output;
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
        return tagPrefix + output + "/" + protocol();
    }

    /** The preprocessing protocol in the tag: {@code pytorch-fid-bilinear-299}. */
    public String protocol() {
        return protocol.label(size);
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
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }

    private void release() {
        if (users.decrementAndGet() == 0) {
            model.close();
        }
    }
}
