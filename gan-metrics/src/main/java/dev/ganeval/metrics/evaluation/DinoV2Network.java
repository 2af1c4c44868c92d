package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.features.DinoV2;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A DINOv2 backbone from Meta's published checkpoint ({@code dinov2_vitl14_pretrain.pth} and the S, B, g sizes),
 * as dgm-eval computes FD_DINOv2 with it: images prepared by {@link InceptionProtocol#DGM_EVAL} (Pillow's bicubic to
 * 224 × 224, ImageNet normalisation), the class token after the final norm as the features (1,024-d for ViT-L/14). The
 * graph is built by {@link DinoV2} once per weight file and kept in the weights cache, keyed by the file's SHA-256.
 *
 * <p>The weights are a file the user names ({@code --dinov2-weights}, or the variable {@value #WEIGHTS_VARIABLE}):
 * ganeval does not download them, because the published files' SHA-256 values were not available to check a download
 * against when this was written. The feature tag carries the file's own SHA-256 prefix, so reports say which weights
 * they were computed with.
 */
public final class DinoV2Network implements FeatureNetwork {
    /** The input size dgm-eval resizes to. */
    public static final int IMAGE_SIZE = 224;
    /** The environment variable naming the weight file when none is given. */
    public static final String WEIGHTS_VARIABLE = "GANEVAL_DINOV2_WEIGHTS";
    /** The backbones by registry name, with the published file each is loaded from. */
    public static final List<String> NAMES = List.of("dinov2-vits14", "dinov2-vitb14", "dinov2-vitl14", "dinov2-vitg14");
    /** Bumped when {@link DinoV2} builds a different graph. */
    private static final String GRAPH_VERSION = "g1";

    private final String name;
    private final Path weights;
    private final Path cacheDir;

    private DinoV2Network(String name, Path weights, Path cacheDir) {
        this.name = name;
        this.weights = weights;
        this.cacheDir = cacheDir;
    }

    /**
     * @param name    one of {@link #NAMES}
     * @param weights the checkpoint, or null for the file {@value #WEIGHTS_VARIABLE} names
     */
    public static DinoV2Network of(String name, Path weights) {
        return of(name, weights, WeightsResolver.builder().build().cacheDir());
    }

    /** As {@link #of(String, Path)}, keeping the built graph in {@code cacheDir}. */
    public static DinoV2Network of(String name, Path weights, Path cacheDir) {
        if (!NAMES.contains(Objects.requireNonNull(name, "name"))) {
            throw new IllegalArgumentException("no DINOv2 backbone named '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return new DinoV2Network(name, weights, Objects.requireNonNull(cacheDir, "cacheDir"));
    }

    /** The published file of this backbone: where Meta's hub loads it from. */
    public String publishedUrl() {
        String arch = name.substring("dinov2-".length());
        return "https://dl.fbaipublicfiles.com/dinov2/dinov2_" + arch + "/dinov2_" + arch + "_pretrain.pth";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean givesLogits() {
        return false;
    }

    @Override
    public boolean takesPixels() {
        return true;
    }

    @Override
    public boolean resizes() {
        return true;
    }

    @Override
    public Session open(int channels, int height, int width, Device device, boolean logits) {
        FeatureNetwork.requireImages(name, channels, height, width);
        Path file = weightsFile();
        String sha = sha256(file);
        String tagName = name + "-" + sha.substring(0, 8) + ".onnx";
        Path cached = cacheDir.resolve(name + "-" + sha.substring(0, 16) + "-" + GRAPH_VERSION + ".onnx");
        OnnxFeatureExtractor fx = BuiltGraphs.open(cached, () -> {
            try {
                return DinoV2.onnx(TorchCheckpoint.read(file), IMAGE_SIZE, IMAGE_SIZE);
            } catch (InvalidInputException e) {
                throw new InvalidInputException(file, "is not a DINOv2 backbone checkpoint: " + e.getMessage(), e);
            }
        }, model -> new OnnxFeatureExtractor(model, tagName, DinoV2.FEATURES, channels, height, width, IMAGE_SIZE,
                InceptionProtocol.DGM_EVAL, device, 50), name);
        return new OnnxNetwork.Extracting(fx, DinoV2.FEATURES, null);
    }

    private Path weightsFile() {
        Path file = weights;
        if (file == null) {
            String v = System.getenv(WEIGHTS_VARIABLE);
            if (v == null || v.isBlank()) {
                throw new InvalidInputException(name + " needs its weight file, which ganeval does not download: get "
                        + publishedUrl() + " and pass it with --dinov2-weights FILE (or set " + WEIGHTS_VARIABLE + ")");
            }
            file = Path.of(v);
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, Files.exists(file) ? "not a file (" + name + "'s weights)"
                    : "no such file (" + name + "'s weights)");
        }
        return file;
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
