package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.gan.Checkpoint;
import dev.ganeval.core.sampling.GeneratorSource;
import dev.ganeval.core.onnx.OnnxGenerator;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.GanTrainer;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.ParzenProtocol;
import dev.ganeval.metrics.ParzenResult;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.EvaluationReport;
import dev.ganeval.metrics.evaluation.Json;
import dev.ganeval.metrics.evaluation.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The 2014 paper's Parzen protocol end to end for a trained checkpoint, an ONNX generator or samples drawn elsewhere:
 * 10,000 samples, σ from logspace(−1, 0, 10) chosen on 1,000 validation rows (MNIST train[50000:51000]), mean ±
 * standard error on the 10,000 test images. {@code --sigma-grid} and {@code --sigma} are parzen_ll.py's
 * {@code --sigma_start/--sigma_end/--cross_val} and {@code --sigma}, and the output says when they leave the protocol.
 */
@Command(name = "parzen", mixinStandardHelpOptions = true,
        description = "Parzen-window log-likelihood of MNIST test under the samples of a checkpoint, an ONNX generator or "
                + "images drawn elsewhere (the 2014 protocol).")
final class ParzenCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", paramLabel = "FILE.ckpt", description = "A checkpoint written by 'ganeval train'.")
    Path checkpoint;

    @Option(names = "--generator", paramLabel = "G.onnx",
            description = "Or an ONNX generator of 28x28 images (e.g. the shipped testdata/reference-gan/generator.onnx).")
    Path generator;

    @Option(names = "--images", paramLabel = "SRC",
            description = "Or samples drawn elsewhere: a folder of 28x28 gray images, an .npy, an IDX file or "
                    + "mnist:train; its first --samples rows are used.")
    String images;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "" + ParzenProtocol.PAPER_SAMPLES, description = "Generated samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--validation", paramLabel = "N", defaultValue = "" + ParzenProtocol.PAPER_VALIDATION_ROWS, description = "Validation rows from train[50000:] (default: ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + ParzenProtocol.PAPER_SAMPLE_SEED, description = "Seed of the generated samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    GeneratorModelOptions model;

    @picocli.CommandLine.Mixin
    SigmaOptions sigma;

    @Option(names = "--json", description = "Machine-readable output (schema ganeval.parzen/1: source, value, standard error, "
            + "σ, protocol, validation curve).")
    boolean json;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, got " + samples);
        }
        if (validation < 1 || validation > 10000) {
            throw new IllegalArgumentException("--validation must be between 1 and 10000, got " + validation);
        }
        if ((checkpoint != null ? 1 : 0) + (generator != null ? 1 : 0) + (images != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("give exactly one of --checkpoint, --generator and --images");
        }
        device.requireOnnx(generator != null, "checkpoints are sampled by the Java networks and --images need no network");
        model.requireGenerator(generator != null, "checkpoints record their own noise and --images are drawn already");
        OptionUse.onlyWhere(spec, images == null, "seeds the samples of a checkpoint or generator; --images are drawn already",
                "--seed");
        double[] sigmas = sigma.sigmas();
        OptionUse.onlyWhere(spec, sigma.fixed == null, "sets the rows that choose σ, and --sigma fixes it", "--validation");
        SampleSource drawn = images == null ? null : SampleSource.parse(images, ImageFolder.Color.GRAY_ONLY);
        if (drawn != null && (drawn.channels() != 1 || drawn.height() * drawn.width() != 28 * 28)) {
            throw new InvalidInputException(drawn.describe() + " holds " + drawn.channels() + "x" + drawn.height() + "x"
                    + drawn.width() + " samples; the MNIST Parzen protocol needs 1x28x28");
        }
        GanConfig config = checkpoint == null ? null : Checkpoint.readConfig(checkpoint);
        if (config != null && config.dataDim() != 28 * 28) {
            throw new InvalidInputException(checkpoint, "makes samples of " + config.dataDim()
                    + " values; the MNIST Parzen protocol needs 28x28 = 784");
        }
        ParzenProtocol mnist = ParzenProtocol.mnist();
        FloatMatrix generated;
        String what;
        if (config != null) {
            GanTrainer trainer = Checkpoint.load(checkpoint, config, mnist.train().rowRange(0, Math.max(config.batchSize(), 100)));
            generated = trainer.gan().sample(samples, new SplittableRandom(seed));
            what = String.format(Locale.ROOT, "checkpoint        %s (after %d epochs)", checkpoint, trainer.epoch());
        } else if (drawn != null) {
            FloatMatrix all = drawn.read();
            generated = all.rows() > samples ? all.rowRange(0, samples) : all;
            UnitRange.require(generated, drawn.describe(), "the protocol compares with MNIST pixels in [0, 1] (scale the samples to [0, 1])");
            what = "images            " + drawn.describe() + " (" + generated.rows() + " of " + all.rows() + " rows)";
        } else {
            try (OnnxGenerator g = model.load(generator, device.device())) {
                GeneratorSource src = new GeneratorSource(g, samples, seed, 1000, run.bar(spec.commandLine().getErr(), "sampling"));
                if (src.channels() != 1 || src.height() != 28 || src.width() != 28) {
                    throw new InvalidInputException(generator, "makes " + src.channels() + "x" + src.height() + "x" + src.width()
                            + " samples; the MNIST Parzen protocol needs 1x28x28");
                }
                generated = src.read();
                what = "generator         " + generator + " (" + src.settings() + ")";
            }
        }
        ParzenProtocol protocol = mnist.withSigmas(sigmas).withValidationRows(validation);
        FloatMatrix scored = generated;
        EvaluationReport report = Evaluation.builder().fake(SampleSource.of(() -> scored, 1, 28, 28, what.replaceFirst("^(\\S+)\\s+", "$1 ")))
                .metric(protocol).progress(step -> run.bar(spec.commandLine().getErr(), step)).run();
        ParzenResult r = (ParzenResult) report.scores().get(0).result();
        String departure = protocol.departure(generated.rows(), sigma.grid);
        if (json) {
            Map<String, Object> m = ReportWriter.toMap(report);
            m.put("sample_seed", images == null ? seed : null);
            m.put("device", device.used());
            m.put("paper_protocol", departure == null ? "paper" : departure);
            m.put("validation_rows", sigmas.length > 1 ? validation : 0);
            m.put("paper", Map.of("value", ParzenProtocol.PAPER_VALUE, "standard_error", ParzenProtocol.PAPER_STANDARD_ERROR));
            stdout.println(Json.write(m));
            return 0;
        }
        stdout.println(what);
        stdout.println("Parzen log-lik.   " + ParzenProtocol.summary(r));
        if (departure != null) {
            stdout.println("protocol          " + departure);
        }
        stdout.printf(Locale.ROOT, "paper (Table 1)   225 ± 2%n");
        if (sigmas.length == 1) {
            return 0;
        }
        StringBuilder curve = new StringBuilder();
        double[] sig = r.sigmas();
        double[] val = r.validationCurve();
        for (int i = 0; i < sig.length; i++) {
            curve.append(String.format(Locale.ROOT, "%s%.3f:%.1f", i == 0 ? "" : "  ", sig[i], val[i]));
        }
        stdout.printf(Locale.ROOT, "validation curve  %s%n", curve);
        return 0;
    }
}
