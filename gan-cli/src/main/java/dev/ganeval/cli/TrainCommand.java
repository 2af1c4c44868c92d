package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.gan.Checkpoint;
import dev.ganeval.core.gan.EpochStats;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.GanTrainer;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.gan.SampleGrid;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.RowOps;
import dev.ganeval.metrics.ParzenProtocol;
import dev.ganeval.metrics.ParzenResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Trains the 2014 paper's MNIST GAN on MNIST train[0:50000] (or, with {@code --data}, on other gray images, the
 * input and output layers sized to them), writing a checkpoint and a 10×10 sample grid after every epoch;
 * {@code --resume} continues from the checkpoint exactly as an uninterrupted run would.
 * {@code --keep-every} and {@code --parzen-every} turn a long run into the table of docs/reference-gan.md;
 * {@code metrics.csv} holds the same figures as train.log, one row per epoch ({@link TrainingCurve}).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the reference GAN (Goodfellow et al. 2014, MNIST configuration) on MNIST or other gray images.")
final class TrainCommand implements Callable<Integer> {
    private static final String MNIST_TRAIN = "mnist:train";

    @Option(names = "--out", paramLabel = "DIR", required = true,
            description = "Folder for checkpoint.ckpt, samples-NNN.png, train.log and metrics.csv (one row per epoch).")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1", description = "Epochs to run in this invocation (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed for initialisation, shuffling, noise and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue from <out>/checkpoint.ckpt.")
    boolean resume;

    @Option(names = "--data", paramLabel = "SRC", defaultValue = MNIST_TRAIN,
            description = "Training data: mnist:train (default, the paper's), fashion-mnist:train, a folder of gray images"
                    + ", an IDX file or an .npy of rows with values in [0, 1]. Other sizes than 28x28 "
                    + "change only the generator's output and the discriminator's input layer.")
    String data;

    @Option(names = "--train-rows", paramLabel = "N",
            description = "Train on the first N rows (default: 50000 for mnist:train, the paper's split; else all).")
    Integer trainRows;

    @Option(names = "--keep-every", paramLabel = "N", defaultValue = "0",
            description = "Also keep a copy checkpoint-NNN.ckpt every N epochs, NNN as in samples-NNN.png (default: only the latest).")
    int keepEvery;

    @Option(names = "--parzen-every", paramLabel = "N", defaultValue = "0",
            description = "Every N epochs, the paper's Parzen protocol (as 'ganeval parzen' with its defaults), printed and "
                    + "logged to train.log (default: never).")
    int parzenEvery;

    @Option(names = "--fid-every", paramLabel = "N", defaultValue = "0",
            description = "Every N epochs, FID and the Inception Score of " + EpochQuality.SAMPLES + " samples (a fixed "
                    + "seed) against the data's rows past --train-rows, on the embedded MNIST network; printed, logged to "
                    + "train.log and written to metrics.csv (default: never).")
    int fidEvery;

    @picocli.CommandLine.Mixin
    GanOptions model;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (keepEvery < 0 || parzenEvery < 0 || fidEvery < 0) {
            throw new IllegalArgumentException("--keep-every, --parzen-every and --fid-every must not be negative");
        }
        Path ckpt = out.resolve("checkpoint.ckpt");
        if (resume) {
            recordedData(ckpt);
        }
        boolean paperData = data.equalsIgnoreCase(MNIST_TRAIN);
        if (parzenEvery > 0 && !paperData) {
            throw new IllegalArgumentException("--parzen-every scores against MNIST test, so it needs --data " + MNIST_TRAIN);
        }
        SampleSource source = SampleSource.parse(data, ImageFolder.Color.GRAY_ONLY);
        FloatMatrix all = source.read();
        if (all.rows() < 100) {
            throw new InvalidInputException(source.describe() + " has " + all.rows() + " rows; training needs at least one batch of 100");
        }
        int rows = trainRows != null ? trainRows : paperData ? 50000 : all.rows();
        if (rows < 100 || rows > all.rows()) {
            throw new IllegalArgumentException("--train-rows must be between 100 and the " + all.rows() + " rows of "
                    + source.describe() + ", got " + rows);
        }
        FloatMatrix train = all.rowRange(0, rows);
        // The generator ends in a sigmoid: unscaled bytes or standardised values cannot be learnt.
        UnitRange.require(train, source.describe(), "the generator's sigmoid output cannot match it (scale the data to [0, 1])");
        ParzenProtocol mnist = parzenEvery > 0 ? ParzenProtocol.mnist() : null;
        try (EpochQuality quality = fidEvery > 0 ? EpochQuality.against(all.rowRange(rows, all.rows()), source.height(),
                source.width(), source.describe()) : null) {
            return train(stdout, ckpt, source, train, rows, mnist, quality);
        }
    }

    private Integer train(PrintWriter stdout, Path ckpt, SampleSource source, FloatMatrix train, int rows,
                          ParzenProtocol mnist, EpochQuality quality) throws IOException {
        Files.createDirectories(out);
        GanTrainer trainer;
        if (resume) {
            GanConfig config = Checkpoint.readConfig(ckpt);
            if (config.dataDim() != train.cols()) {
                throw new InvalidInputException(ckpt, "was trained on rows of " + config.dataDim() + " values but "
                        + source.describe() + " has " + train.cols() + "; resume with the --data the run started with (see train.log)");
            }
            // Settings given again must be the checkpoint's: Checkpoint.load names any that differ.
            trainer = Checkpoint.load(ckpt, model.apply(config), train);
            // Epochs count from 0 in train.log and the file names, so after n epochs the next one logged is "epoch n".
            stdout.printf("resuming after %d %s from %s; the next is epoch %d%n", trainer.epoch(),
                    trainer.epoch() == 1 ? "epoch" : "epochs", ckpt, trainer.epoch());
        } else {
            if (Files.exists(ckpt)) {
                throw new IllegalArgumentException(ckpt + " exists: pass --resume to continue that run, or choose another --out");
            }
            GanConfig config = model.apply(paperFor(train.cols(), seed));
            trainer = new GanTrainer(new ReferenceGan(config, RowOps.columnMeans(train)), train);
        }
        Path log = out.resolve("train.log");
        TrainingCurve curve = TrainingCurve.open(out.resolve("metrics.csv"), trainer.epoch());
        GanConfig config = trainer.gan().config();
        Map<String, String> paper = paperFor(config.dataDim(), config.seed()).describe();
        String changed = config.describe().entrySet().stream().filter(e -> !e.getValue().equals(paper.get(e.getKey())))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        log(stdout, log, String.format("training on %s: %d rows of %dx%d, %s", source.describe(), rows, source.height(),
                source.width(), changed.isEmpty() ? "the paper's settings" : "the paper's settings except " + changed));
        long started = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            EpochStats s = trainer.trainEpoch(run.bar(spec.commandLine().getErr(), "epoch " + trainer.epoch()));
            Map<String, String> recorded = new java.util.LinkedHashMap<>(); // a fixed order: the same run, the same bytes
            recorded.put("source", dataKey(data));
            recorded.put("rows", Integer.toString(rows));
            Checkpoint.save(trainer, ckpt, recorded);
            SampleGrid.write(trainer.gan().sample(100, new SplittableRandom(trainer.gan().config().seed())), 10, 10,
                    source.height(), source.width(),
                    out.resolve(String.format("samples-%03d.png", s.epoch())));
            log(stdout, log, s.toString());
            int done = s.epoch() + 1;
            if (keepEvery > 0 && done % keepEvery == 0) {
                Files.copy(ckpt, out.resolve(String.format("checkpoint-%03d.ckpt", s.epoch())), StandardCopyOption.REPLACE_EXISTING);
            }
            ParzenResult parzen = null;
            if (parzenEvery > 0 && done % parzenEvery == 0) {
                FloatMatrix samples = trainer.gan().sample(ParzenProtocol.PAPER_SAMPLES, new SplittableRandom(ParzenProtocol.PAPER_SAMPLE_SEED));
                parzen = mnist.compute(samples, run.bar(spec.commandLine().getErr(), "parzen"));
                log(stdout, log, "parzen after " + done + (done == 1 ? " epoch: " : " epochs: ") + ParzenProtocol.summary(parzen));
            }
            EpochQuality.Figures figures = null;
            if (quality != null && done % fidEvery == 0) {
                figures = quality.measure(trainer.gan().sample(EpochQuality.SAMPLES, new SplittableRandom(EpochQuality.SEED)));
                log(stdout, log, String.format(java.util.Locale.ROOT, "fid after %d %s: %.4f (%d samples against %d "
                        + "held-out rows, mnist-mlp), IS %.4f ± %.4f", done, done == 1 ? "epoch" : "epochs",
                        figures.fid().value(), EpochQuality.SAMPLES,
                        quality.realRows(), figures.is().value(), figures.is().std()));
            }
            curve.append(s, parzen, figures);
            int left = epochs - 1 - e;
            if (left > 0 && !run.quiet) {
                // On the terminal only: train.log keeps one format. Whole epochs (grid, checkpoint, Parzen) count.
                double perEpoch = (System.nanoTime() - started) / 1e9 / (e + 1);
                stdout.println("  " + left + (left == 1 ? " epoch" : " epochs") + " to go, about " + duration(left * perEpoch));
            }
        }
        return 0;
    }

    /** A remaining time as people say it: "40 s", "12 min", "3 h 05 min". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        long min = Math.round(seconds / 60);
        return min < 60 ? min + " min" : String.format(java.util.Locale.ROOT, "%d h %02d min", min / 60, min % 60);
    }

    /** The paper's configuration, its input and output layers sized for rows of {@code dataDim} values. */
    private static GanConfig paperFor(int dataDim, long seed) {
        GanConfig paper = GanConfig.mnistPaper(seed);
        return dataDim == paper.dataDim() ? paper
                : paper.withSizes(paper.noiseDim(), paper.generatorHidden(), dataDim, paper.discriminatorUnits(), paper.pieces());
    }

    private static void log(PrintWriter stdout, Path log, String line) throws IOException {
        stdout.println(line);
        stdout.flush();
        Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * A resumed run trains on the data its checkpoint records (version 4 on): --data and --train-rows default to it,
     * and other values are refused by name, as a changed --noise is; an older checkpoint takes them as given.
     */
    private void recordedData(Path ckpt) throws IOException {
        Map<String, String> recorded = Checkpoint.readData(ckpt);
        var parsed = spec.commandLine().getParseResult();
        String source = recorded.get("source");
        if (source != null) {
            if (parsed.hasMatchedOption("--data") && !source.equals(dataKey(data))) {
                throw new IllegalArgumentException("--data " + data + ": " + ckpt + " was trained on " + source
                        + "; resume without --data (or with --data " + source + "), or start a new run in another --out");
            }
            data = source;
        }
        String rows = recorded.get("rows");
        if (rows != null) {
            int n;
            try {
                n = Integer.parseInt(rows);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(ckpt, "records " + rows + " training rows, not a number; the file is damaged");
            }
            if (parsed.hasMatchedOption("--train-rows") && trainRows != n) {
                throw new IllegalArgumentException("--train-rows " + trainRows + ": " + ckpt + " was trained on the first " + n
                        + " rows of " + data + "; resume without --train-rows, or start a new run in another --out");
            }
            trainRows = n;
        }
    }

    /**
     * How a checkpoint records its data: a data set name in lower case ({@code mnist:train}), a path absolute and
     * normalised, so that a resume from another folder, or through another relative path, names the same data.
     */
    private static String dataKey(String spec) {
        String lower = spec.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("mnist:") || lower.startsWith("fashion-mnist:")) {
            return lower;
        }
        return Path.of(spec).toAbsolutePath().normalize().toString();
    }
}
