package dev.ganeval.cli;

import dev.ganeval.core.gan.EpochStats;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.GanTrainer;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.gan.SampleGrid;
import dev.ganeval.core.onnx.ShippedGenerator;
import dev.ganeval.core.sampling.GeneratorSource;
import dev.ganeval.core.onnx.OnnxGenerator;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.RowOps;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.metrics.ParzenProtocol;
import dev.ganeval.metrics.ParzenResult;
import dev.ganeval.metrics.PrdcResult;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.EvaluationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The main job on embedded defaults: samples the shipped reference generator (the 2014 GAN trained on MNIST by
 * ganeval, {@link ShippedGenerator}) or, with {@code --epochs N}, trains one briefly; writes a sample grid and
 * scores the samples against the MNIST test set — FID, KID, IS and precision/recall/density/coverage with the
 * embedded MNIST network, and the paper's Parzen window.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Score the shipped reference GAN (or one trained with --epochs N) against the MNIST test set.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
            description = "Train a fresh GAN for this many epochs instead of using the shipped one (default: ${DEFAULT-VALUE}: shipped).")
    int epochs;

    @Option(names = "--train-rows", paramLabel = "N", defaultValue = "50000", description = "Train on MNIST train[0:N] (default: ${DEFAULT-VALUE}).")
    int trainRows;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10000", description = "Generated samples to score (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ganeval-demo", description = "Folder for the sample grid (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OptionUse.onlyWhere(spec, epochs > 0, "sets what a fresh GAN trains on; add --epochs N (the shipped one is trained "
                + "already)", "--train-rows");
        if (epochs < 0) {
            throw new IllegalArgumentException("--epochs must be 0 (the shipped generator) or more, got " + epochs);
        }
        if (samples < 1000) {
            throw new IllegalArgumentException("--samples must be at least 1000 (KID's subset size), got " + samples);
        }
        if (trainRows < 100 || trainRows > 50000) {
            throw new IllegalArgumentException("--train-rows must be between 100 (one batch) and 50000 (the paper's training "
                    + "rows), got " + trainRows);
        }
        long t0 = System.nanoTime();
        ParzenProtocol mnist = ParzenProtocol.mnist();
        FloatMatrix test = mnist.test();
        FloatMatrix fake;
        String generator;
        if (epochs == 0) {
            Properties made = ShippedGenerator.description();
            generator = "reference GAN (Goodfellow et al. 2014), shipped: " + made.getProperty("epochs") + " epochs on MNIST, seed "
                    + made.getProperty("seed") + " (testdata/reference-gan)";
            try (OnnxGenerator g = ShippedGenerator.mnist(device.device())) {
                fake = new GeneratorSource(g, samples, seed + 1, 1000, run.bar(err, "sampling")).read();
            }
        } else {
            FloatMatrix data = mnist.train().rowRange(0, trainRows);
            GanTrainer trainer = new GanTrainer(new ReferenceGan(GanConfig.mnistPaper(seed), RowOps.columnMeans(data)), data);
            for (int e = 0; e < epochs; e++) {
                EpochStats s = trainer.trainEpoch(run.bar(err, "epoch " + e));
                err.println(s);
                err.flush();
            }
            generator = "reference GAN (Goodfellow et al. 2014), " + epochs + " epochs on MNIST train[0:" + trainRows + "]";
            fake = trainer.gan().sample(samples, new SplittableRandom(seed + 1));
        }
        Files.createDirectories(out);
        Path grid = out.resolve("samples.png");
        SampleGrid.write(fake, 10, 10, 28, 28, grid);
        err.println("scoring " + samples + " samples against the 10,000 MNIST test images...");
        // One evaluation for the metrics on all samples, one for PRDC on 5k against 5k (its nearest-neighbour balls cost
        // n²), one for the real test set's IS, which is what the generated one is read against.
        SampleSource real = SampleSource.of(() -> test, 1, 28, 28, "mnist:test");
        SampleSource generated = SampleSource.of(() -> fake, 1, 28, 28, "generated");
        EvaluationReport main = Evaluation.of(real, generated).device(device.device()).metrics("fid", "is")
                .metric("kid", Map.of("subsets", 20)).metric(mnist).progress(step -> run.bar(err, step)).run();
        PrdcResult prdc = (PrdcResult) Evaluation.of(real, generated).device(device.device()).metrics("prdc").limit(5000)
                .progress(step -> run.bar(err, step)).run().score("prdc").result();
        double isReal = Evaluation.builder().fake(real).device(device.device()).metrics("is").run().score("is").value();
        double fid = main.score("fid").value();
        double kid = main.score("kid").value();
        double kidStd = main.score("kid").uncertainty();
        double is = main.score("is").value();
        double isStd = main.score("is").uncertainty();
        ParzenResult parzen = (ParzenResult) main.score(mnist.name()).result();
        double seconds = (System.nanoTime() - t0) / 1e9;
        stdout.printf(Locale.ROOT, "%-30s %s%n", "generator", generator);
        stdout.printf(Locale.ROOT, "%-30s %s%n", "sample grid", grid);
        stdout.printf(Locale.ROOT, "%-30s %.2f%n", "FID[mnist-mlp]", fid);
        stdout.printf(Locale.ROOT, "%-30s %.4f ± %.4f%n", "KID[mnist-mlp]", kid, kidStd);
        stdout.printf(Locale.ROOT, "%-30s %.2f ± %.2f (real test set: %.2f)%n", "IS[mnist-mlp]", is, isStd, isReal);
        stdout.printf(Locale.ROOT, "%-30s P %.3f  R %.3f  D %.3f  C %.3f%n", "PRDC[mnist-mlp] (5k vs 5k)",
                prdc.precision(), prdc.recall(), prdc.density(), prdc.coverage());
        stdout.printf(Locale.ROOT, "%-30s %.1f ± %.1f nats (σ = %.3f; paper: 225 ± 2)%n",
                "Parzen log-likelihood", parzen.value(), parzen.standardError(), parzen.sigma());
        stdout.printf(Locale.ROOT, "%-30s %.1f s%n", "time", seconds);
        return 0;
    }
}
