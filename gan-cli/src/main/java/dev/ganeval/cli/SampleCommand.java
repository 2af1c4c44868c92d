package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.AtomicFiles;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.gan.Checkpoint;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.gan.SampleGrid;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.sampling.GeneratorSource;
import dev.ganeval.core.onnx.OnnxExport;
import dev.ganeval.core.onnx.OnnxGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Draws samples from a trained checkpoint or an ONNX generator as an {@code .npy} ({@code n × H × W} float32 in [0, 1],
 * 28 × 28 for MNIST; {@code n × C × H × W} for colour), one grid PNG or a folder of PNGs, and optionally exports a checkpoint's
 * generator and discriminator to ONNX.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw samples from a checkpoint or an ONNX generator (.npy or a folder of PNGs); optionally export a checkpoint's G and D to ONNX.")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "FILE.ckpt", description = "A checkpoint written by 'ganeval train'.")
    Path checkpoint;

    @Option(names = "--generator", paramLabel = "G.onnx",
            description = "Or an ONNX generator (noise in, samples out), drawn as 'parzen' and 'score' draw it for the same seed.")
    Path generator;

    @picocli.CommandLine.Mixin
    GeneratorModelOptions model;

    @Option(names = "--n", paramLabel = "N", defaultValue = "10000", description = "Number of samples (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--out", paramLabel = "PATH", required = true, description = "An .npy file, a .png (all samples in one grid, to look at), or a new or empty folder for one PNG each.")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "2014", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shape", paramLabel = "HxW",
            description = "Image height and width of the samples (default: square; train.log's first line gives a run's shape).")
    String shape;

    @Option(names = "--onnx", paramLabel = "PREFIX", description = "Also write <prefix>-generator.onnx and <prefix>-discriminator.onnx.")
    Path onnxPrefix;

    @Option(names = "--half", description = "Store the ONNX files' weights as float16 (half the size; outputs within ~1e-3).")
    boolean half;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be at least 1, got " + n);
        }
        if ((checkpoint == null) == (generator == null)) {
            throw new IllegalArgumentException("give exactly one of --checkpoint and --generator");
        }
        requireFreshFolder();
        device.requireOnnx(generator != null, "a checkpoint is sampled by the Java networks, on the CPU");
        model.requireGenerator(generator != null, "a checkpoint records its own noise and samples in [0, 1]");
        if (generator != null) {
            if (onnxPrefix != null || half) {
                throw new IllegalArgumentException("--onnx and --half export a checkpoint's networks; " + generator + " is ONNX already");
            }
            if (shape != null) {
                throw new IllegalArgumentException("--shape is for checkpoints; a generator's samples take the shape of its output");
            }
            try (OnnxGenerator g = model.load(generator, device.device())) {
                GeneratorSource src = new GeneratorSource(g, n, seed, 1000, run.bar(spec.commandLine().getErr(), "sampling"));
                FloatMatrix x = src.read();
                for (String w : src.warnings()) {
                    spec.commandLine().getErr().println("ganeval: warning: " + w);
                }
                write(x, src.channels(), src.height(), src.width());
            }
            spec.commandLine().getOut().printf("wrote %d samples to %s%n", n, out);
            return 0;
        }
        var config = Checkpoint.readConfig(checkpoint);
        int[] hw = imageShape(config.dataDim());
        int height = hw[0];
        int width = hw[1];
        FloatMatrix stand = new FloatMatrix(config.batchSize(), config.dataDim());
        ReferenceGan gan = Checkpoint.load(checkpoint, config, stand).gan();
        write(gan.sample(n, new SplittableRandom(seed)), 1, height, width);
        spec.commandLine().getOut().printf("wrote %d samples to %s%n", n, out);
        if (onnxPrefix != null) {
            Path g = Path.of(onnxPrefix + "-generator.onnx");
            Path d = Path.of(onnxPrefix + "-discriminator.onnx");
            byte[] gBytes = OnnxExport.generator(gan, height, width);
            byte[] dBytes = OnnxExport.discriminator(gan);
            if (half) {
                gBytes = OnnxExport.withHalfPrecisionWeights(gBytes, 1024);
                dBytes = OnnxExport.withHalfPrecisionWeights(dBytes, 1024);
            }
            OnnxExport.write(gBytes, g);
            OnnxExport.write(dBytes, d);
            spec.commandLine().getOut().printf("wrote %s and %s%n", g, d);
        }
        return 0;
    }

    /**
     * A folder of samples must not hold images already: the new draw would replace only as many files as it writes, and
     * a later score would read both draws as one. Checked before anything is drawn.
     */
    private void requireFreshFolder() {
        String name = out.toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".npy") || name.endsWith(".png")) {
            return;
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InvalidInputException(out, "exists and is not a folder; --out takes an .npy file, a .png grid or a folder");
        }
        if (Files.isDirectory(out)) {
            int held = ImageFolder.images(out).size();
            if (held > 0) {
                throw new InvalidInputException(out, "already holds " + held + " image" + (held == 1 ? "" : "s") + "; samples go "
                        + "into a new or empty folder, so that scoring it reads one draw: choose another --out or delete them");
            }
        }
    }

    /**
     * Rows of planar {@code channels × height × width} values in [0, 1] as an {@code .npy} ({@code n × H × W} for gray,
     * {@code n × C × H × W} otherwise), as one grid PNG, or as gray or RGB PNGs.
     */
    private void write(FloatMatrix x, int channels, int height, int width) throws IOException {
        if (out.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
            Npy.write(out, channels == 1 ? NpyArray.ofFloats(x.data(), n, height, width)
                    : NpyArray.ofFloats(x.data(), n, channels, height, width));
            return;
        }
        if (out.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            SampleGrid.writeAll(x, channels, height, width, out);
            return;
        }
        // Into a hidden folder renamed at the end: an interrupted run leaves no folder of some of the samples.
        Files.createDirectories(out.toAbsolutePath().getParent());
        int plane = height * width;
        AtomicFiles.writeFolder(out, folder -> {
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(width, height, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                        : BufferedImage.TYPE_INT_RGB);
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < Math.min(channels, 3); c++) {
                        img.getRaster().setSample(p % width, p / width, c,
                                Math.round(Math.max(0f, Math.min(1f, x.get(i, c * plane + p))) * 255f));
                    }
                }
                ImageIO.write(img, "png", folder.resolve(String.format("%06d.png", i)).toFile());
            }
        });
    }

    /** {@code --shape}, checked against the checkpoint's sample size, or the square side when it is left out. */
    private int[] imageShape(int values) {
        if (shape == null) {
            int side = OnnxGenerator.squareSide(values);
            if (side == 0) {
                throw new IllegalArgumentException("the checkpoint's samples (" + values + " values) are not square images; "
                        + "pass --shape HxW (the first line of the run's train.log gives it)");
            }
            return new int[] {side, side};
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,6})x(\\d{1,6})")
                .matcher(shape.trim().toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            int h = Integer.parseInt(m.group(1));
            int w = Integer.parseInt(m.group(2));
            if ((long) h * w == values) {
                return new int[] {h, w};
            }
        }
        throw new IllegalArgumentException("--shape must be HxW with H·W = " + values + " (the checkpoint's sample size), got '"
                + shape + "'");
    }
}
