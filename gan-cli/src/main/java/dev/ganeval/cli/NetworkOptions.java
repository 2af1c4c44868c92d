package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.weights.WeightsException;
import dev.ganeval.core.weights.WeightsFile;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import dev.ganeval.metrics.evaluation.ClipNetwork;
import dev.ganeval.metrics.evaluation.DinoV2Network;
import dev.ganeval.metrics.evaluation.FeatureNetworks;
import dev.ganeval.metrics.evaluation.GivenRows;
import dev.ganeval.metrics.evaluation.InceptionNetwork;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import dev.ganeval.metrics.features.InceptionProtocol;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** The feature-network options shared by the commands that extract features, and the choice they imply. */
final class NetworkOptions {
    @Option(names = "--network", paramLabel = "NAME|NET.onnx", description = "Feature network: inception (pytorch-fid's "
            + "Inception-v3 from its published weights, downloaded on first use), mnist-mlp (the embedded MNIST network), "
            + "dinov2-vitl14 (or -vits14, -vitb14, -vitg14: DINOv2 from Meta's published checkpoint, downloaded on first "
            + "use, for fd as dgm-eval's FD_DINOv2), clip-vitl14-336 (CLIP's image tower from OpenAI's published weights, "
            + "downloaded on first use, for cmmd), "
            + "or any ONNX file (default: mnist-mlp for 28x28 gray data, inception for other images).")
    String network;

    @Option(names = "--dinov2-weights", paramLabel = "FILE", description = "A local copy of DINOv2's checkpoint for "
            + "--network dinov2-*, e.g. dinov2_vitl14_pretrain.pth (also GANEVAL_DINOV2_WEIGHTS): no download.")
    Path dinov2Weights;

    @Option(names = "--clip-weights", paramLabel = "FILE", description = "A local copy of CLIP ViT-L/14@336's weights "
            + "for --network clip-vitl14-336: OpenAI's ViT-L-14-336px.pt, or Hugging Face's model.safetensors or "
            + "pytorch_model.bin of openai/clip-vit-large-patch14-336 (also GANEVAL_CLIP_WEIGHTS): no download. Files other "
            + "than OpenAI's are used with a warning that their hash is not the published one.")
    Path clipWeights;

    @Option(names = "--protocol", paramLabel = "pytorch-fid|tf|clean", description = "Preprocessing: pytorch-fid (PyTorch "
            + "bilinear resize, 2x-1), tf (torch-fidelity / TensorFlow: uint8, TF1 bilinear, (x-128)/128) or clean (clean-fid: "
            + "PIL bicubic, (x-128)/128) (default: pytorch-fid).")
    String protocol;

    @Option(names = "--inception-weights", paramLabel = "FILE", description = "A local copy of pytorch-fid's "
            + "pt_inception-2015-12-05-6726825d.pth (also GANEVAL_INCEPTION_WEIGHTS): no download. Other weights are used "
            + "with a warning and labelled as such.")
    Path inceptionWeights;

    @Option(names = "--offline", description = "Never download (also GANEVAL_OFFLINE=1): the network's weights must be in "
            + "the cache or given with --inception-weights, --dinov2-weights or --clip-weights.")
    boolean offline;

    @Option(names = "--output", paramLabel = "NAME", description = "Output of an ONNX --network with the features "
            + "(default: its only output, else 'pool').")
    String output;

    @Option(names = "--size", paramLabel = "PX", description = "Square input size of an ONNX --network (default: the "
            + "network's own when its input size is fixed, else 299).")
    Integer size;

    @Option(names = "--gray", description = "Read image folders as grayscale.")
    boolean gray;

    @Option(names = "--features", description = "The inputs are feature vectors already (an n x d .npy, e.g. from "
            + "your own network), used as they are, with no network.")
    boolean features;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    Device device() {
        return device.device();
    }

    /** Whether --network names an ONNX file rather than a registered network. */
    boolean onnxFile() {
        return network != null && network.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    private boolean dinoNamed() {
        return network != null && DinoV2Network.NAMES.contains(network.toLowerCase(Locale.ROOT));
    }

    private boolean clipNamed() {
        return ClipNetwork.NAME.equalsIgnoreCase(network);
    }

    private boolean inceptionNamed() {
        return network != null && (network.equalsIgnoreCase("inception") || network.toLowerCase(Locale.ROOT)
                .startsWith(InceptionNetwork.NAME));
    }

    /** The protocol --network names ({@code inception-v3/tf}), or null. */
    private String namedProtocol() {
        int slash = network == null ? -1 : network.indexOf('/');
        return inceptionNamed() && slash > 0 ? network.substring(slash + 1) : null;
    }

    /**
     * Refuses options that do nothing with the network asked for: --output and --size are an ONNX file's; the Inception
     * options need Inception (named, or the default for images that are not 28x28 gray); --protocol needs a network
     * that resizes images.
     */
    void requireNetworkForItsOptions() {
        OptionUse.onlyWhere(mixee, onnxFile(), "applies to an ONNX --network; the embedded MNIST network takes 28x28 images "
                + "and has the outputs 'features' and 'logits', and Inception-v3 takes 299x299 and gives 'pool'", "--output", "--size");
        boolean mayBeInception = !features && (network == null || inceptionNamed());
        OptionUse.onlyWhere(mixee, mayBeInception, "applies to Inception-v3 (--network inception, the default for images that "
                + "are not 28x28 gray)", "--inception-weights");
        OptionUse.onlyWhere(mixee, mayBeInception || dinoNamed() || clipNamed(), "applies to networks whose weights are "
                + "downloaded (Inception-v3, the default for images that are not 28x28 gray; DINOv2; CLIP)", "--offline");
        OptionUse.onlyWhere(mixee, !features && !"mnist-mlp".equalsIgnoreCase(String.valueOf(network)) && !dinoNamed()
                && !clipNamed(), "sets how images are resized for Inception-v3 or an ONNX network; --features are used as "
                + "given, mnist-mlp takes 28x28 images, DINOv2 dgm-eval's preprocessing and CLIP CMMD's", "--protocol");
        OptionUse.onlyWhere(mixee, dinoNamed(), "applies to --network dinov2-vitl14 (and the other DINOv2 sizes)",
                "--dinov2-weights");
        OptionUse.onlyWhere(mixee, clipNamed(), "applies to --network " + ClipNetwork.NAME, "--clip-weights");
        if (protocol != null) {
            InceptionProtocol.parse(protocol);
        }
        if (size != null && (size < 1 || size > 4096)) {
            throw new IllegalArgumentException("--size must be between 1 and 4096 pixels, got " + size + (onnxFile()
                    ? " (without --size a network of fixed input size is fed its own, any other 299)" : " (Inception-v3 takes 299)"));
        }
        boolean known = onnxFile() || "mnist-mlp".equalsIgnoreCase(network) || dinoNamed() || clipNamed() || inceptionNamed()
                && (network.indexOf('/') < 0 || FeatureNetworks.names().contains(network.toLowerCase(Locale.ROOT)));
        if (network != null && !known) {
            throw new IllegalArgumentException("--network must be inception (or inception-v3, inception-v3/tf, "
                    + "inception-v3/clean), mnist-mlp, " + String.join(", ", DinoV2Network.NAMES) + ", " + ClipNetwork.NAME
                    + " or an ONNX file "
                    + "(name.onnx), got '" + network + "'");
        }
        if (namedProtocol() != null && protocol != null && !protocol.equalsIgnoreCase(namedProtocol())) {
            throw new IllegalArgumentException("--network " + network + " names the " + namedProtocol() + " protocol but "
                    + "--protocol says " + protocol + "; give one of them");
        }
    }

    /**
     * Sets {@code request}'s network from the options and the samples' shape: the rows as features with --features,
     * --network's registered network or ONNX file, or the default for the shape (the embedded MNIST network for 28x28
     * gray samples, Inception-v3 for other images), with --protocol, --inception-weights and --offline applied.
     */
    void networkFor(Evaluation.Builder request, String logitsOutput, SampleSource shape) {
        networkFor(request, logitsOutput, shape, null);
    }

    /** Where a first use's download of a network's weights reports its bytes (a progress bar on stderr). */
    private dev.ganeval.core.Progress download = dev.ganeval.core.Progress.NONE;

    /** What the download's progress bar says it is downloading. */
    String downloadLabel() {
        return "downloading " + (dinoNamed() ? network.toLowerCase(Locale.ROOT) : clipNamed() ? ClipNetwork.NAME
                : "Inception-v3") + " weights";
    }

    /** Sets the progress bar a download of a network's weights draws. */
    NetworkOptions downloadProgress(dev.ganeval.core.Progress progress) {
        this.download = progress;
        return this;
    }

    /** As above for two sides, whose shapes choose the default together ({@link FeatureNetworks#defaultFor}). */
    void networkFor(Evaluation.Builder request, String logitsOutput, SampleSource shape, SampleSource other) {
        if (features) {
            if (network != null) {
                throw new IllegalArgumentException("give --features (the inputs are features) or --network (extract them), not both");
            }
            request.network(FeatureNetworks.named(GivenRows.FEATURES));
            return;
        }
        InceptionProtocol p = chosenProtocol();
        if (onnxFile()) {
            request.network(FeatureNetworks.onnx(Path.of(network), output, logitsOutput, size == null ? 0 : size, p));
            return;
        }
        FeatureNetwork chosen = network != null && !inceptionNamed() ? FeatureNetworks.named(network.toLowerCase(Locale.ROOT))
                : network != null || shape == null && other == null ? null : FeatureNetworks.defaultFor(shape, other);
        if (!inceptionNamed() && !(chosen instanceof InceptionNetwork)) {
            refuseInceptionOptions();
        }
        if (inceptionNamed() || chosen instanceof InceptionNetwork) {
            chosen = InceptionNetwork.of(p, resolver(), inceptionWeights);
        }
        if (chosen instanceof DinoV2Network) {
            chosen = DinoV2Network.of(chosen.name(), dinov2Weights, resolver());
        }
        if (chosen instanceof ClipNetwork) {
            chosen = ClipNetwork.of(clipWeights, resolver());
        }
        if (chosen instanceof dev.ganeval.metrics.evaluation.CheckpointNetwork c) {
            c.resolveWeights();  // found or downloaded before any image is read: a missing file is one line first
        }
        if (chosen != null) {
            request.network(chosen);
        }
    }

    /**
     * The network for images of this geometry written down for another JVM (a Spark executor): as {@link #networkFor}
     * chooses it, with Inception's weight file found (or downloaded) here, to be shipped with the job.
     *
     * @throws WeightsException when the Inception weights cannot be had
     */
    NetworkSpec specFor(int channels, int height, int width, String logitsOutput) {
        if (features) {
            throw new IllegalArgumentException("--features are rows of a file, which --spark does not read; it reads image "
                    + "folders (drop --features, or score the features on one machine)");
        }
        InceptionProtocol p = chosenProtocol();
        if (onnxFile()) {
            return NetworkSpec.onnx(Path.of(network), output, logitsOutput, size == null ? 0 : size, p);
        }
        if (dinoNamed() || clipNamed()) {
            String name = network.toLowerCase(Locale.ROOT);
            // The file is found here (given, or named by the environment) and shipped to the executors with the job.
            Path file = (dinoNamed() ? DinoV2Network.of(name, dinov2Weights, resolver())
                    : ClipNetwork.of(clipWeights, resolver())).resolveWeights().path();
            return NetworkSpec.checkpoint(name, file);
        }
        FeatureNetwork chosen = network != null && !inceptionNamed() ? FeatureNetworks.named(network.toLowerCase(Locale.ROOT))
                : network != null ? null : FeatureNetworks.defaultFor(channels, height, width);
        if (!inceptionNamed() && !(chosen instanceof InceptionNetwork)) {
            refuseInceptionOptions();
            return NetworkSpec.mnistMlp();
        }
        return NetworkSpec.inception(p, resolver().resolve(WeightsFile.PYTORCH_FID_INCEPTION, inceptionWeights).path());
    }

    private InceptionProtocol chosenProtocol() {
        String asked = protocol != null ? protocol : namedProtocol();
        return asked == null ? InceptionProtocol.PYTORCH_FID : InceptionProtocol.parse(asked);
    }

    /** The embedded MNIST network, named or the default for 28x28 gray samples, takes none of Inception's options. */
    private void refuseInceptionOptions() {
        String why = dinoNamed() || clipNamed() ? network + " scores these samples" : "the embedded MNIST network scores these samples (pass "
                + "--network inception for Inception-v3)";
        OptionUse.onlyWhere(mixee, false, "applies to Inception-v3, and " + why, "--inception-weights");
        OptionUse.onlyWhere(mixee, dinoNamed() || clipNamed(), "applies to networks whose weights are downloaded, and "
                + why, "--offline");
        OptionUse.onlyWhere(mixee, false, "sets how images are resized for Inception-v3 or an ONNX network, and " + why,
                "--protocol");
    }

    private WeightsResolver resolver() {
        WeightsResolver.Builder resolver = WeightsResolver.builder().progress(download);
        if (offline) {
            resolver.offline(true);
        }
        return resolver.build();
    }

    /**
     * A missing Inception weight file, said in the command line's words: the option that points at a local copy, and,
     * for 28x28 images read in colour, that gray digits go to the embedded MNIST network with --gray.
     */
    InvalidInputException explain(WeightsException e, SampleSource shape) {
        String hint = "; or pass a copy with " + (dinoNamed() ? "--dinov2-weights" : clipNamed() ? "--clip-weights"
                : "--inception-weights") + " FILE";
        if (network == null && shape != null && shape.height() == 28 && shape.width() == 28 && shape.channels() == 3) {
            hint += " (28x28 images read in colour are scored with Inception-v3; for gray digits add --gray to use the "
                    + "embedded MNIST network)";
        }
        return new InvalidInputException(e.file().orElse(null), e.reason() + hint, e);
    }

    /** With --features the inputs are features: a generator's samples would need a network. */
    void requireDataWithFeatures(String spec, GeneratorOptions gen) {
        if (features && gen.draws(spec)) {
            throw new IllegalArgumentException("--features gives features, but " + spec + " is a generator, whose samples "
                    + "need a --network; drop --features");
        }
    }
}
