package dev.ganeval.cli;

import dev.ganeval.core.gan.Checkpoint;
import dev.ganeval.core.gan.EpochStats;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.GanTrainer;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.gan.SampleGrid;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.RowOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Trains the 2014 paper's MNIST GAN on MNIST train[0:50000], writing a checkpoint and a 10×10 sample grid
 * after every epoch; {@code --resume} continues from the checkpoint exactly as an uninterrupted run would.
 * {@code --keep-every} and {@code --parzen-every} turn a long run into the table of docs/reference-gan.md.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the reference GAN (Goodfellow et al. 2014, MNIST configuration) on MNIST.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Folder for checkpoint.ckpt, samples-NNN.png and train.log.")
    Path out;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs to run in this invocation (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation, shuffling, noise and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resume", description = "Continue from <out>/checkpoint.ckpt.")
    boolean resume;

    @Option(names = "--train-rows", defaultValue = "50000", description = "Use MNIST train[0:N] (default: ${DEFAULT-VALUE}, the paper's split).")
    int trainRows;

    @Option(names = "--keep-every", paramLabel = "N", defaultValue = "0",
            description = "Also keep a copy checkpoint-NNN.ckpt every N epochs, NNN as in samples-NNN.png (default: only the latest).")
    int keepEvery;

    @Option(names = "--parzen-every", paramLabel = "N", defaultValue = "0",
            description = "Every N epochs, the paper's Parzen protocol (as 'ganeval parzen' with its defaults), printed and "
                    + "logged to train.log (default: never).")
    int parzenEvery;

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
        if (trainRows < 100 || trainRows > 60000) {
            throw new IllegalArgumentException("--train-rows must be between 100 and 60000, got " + trainRows);
        }
        if (keepEvery < 0 || parzenEvery < 0) {
            throw new IllegalArgumentException("--keep-every and --parzen-every must not be negative");
        }
        MnistData mnist = MnistData.load();
        FloatMatrix data = mnist.train().rowRange(0, trainRows);
        Files.createDirectories(out);
        Path ckpt = out.resolve("checkpoint.ckpt");
        GanTrainer trainer;
        if (resume) {
            GanConfig config = Checkpoint.readConfig(ckpt);
            trainer = Checkpoint.load(ckpt, config, data);
            stdout.printf("resuming after epoch %d from %s%n", trainer.epoch(), ckpt);
        } else {
            if (Files.exists(ckpt)) {
                throw new IllegalArgumentException(ckpt + " exists: pass --resume to continue that run, or choose another --out");
            }
            trainer = new GanTrainer(new ReferenceGan(GanConfig.mnistPaper(seed), RowOps.columnMeans(data)), data);
        }
        Path log = out.resolve("train.log");
        for (int e = 0; e < epochs; e++) {
            EpochStats s = trainer.trainEpoch();
            Checkpoint.save(trainer, ckpt);
            SampleGrid.write(trainer.gan().sample(100, new SplittableRandom(trainer.gan().config().seed())), 10, 10, 28, 28,
                    out.resolve(String.format("samples-%03d.png", s.epoch())));
            log(stdout, log, s.toString());
            int done = s.epoch() + 1;
            if (keepEvery > 0 && done % keepEvery == 0) {
                Files.copy(ckpt, out.resolve(String.format("checkpoint-%03d.ckpt", s.epoch())), StandardCopyOption.REPLACE_EXISTING);
            }
            if (parzenEvery > 0 && done % parzenEvery == 0) {
                FloatMatrix samples = trainer.gan().sample(MnistData.PAPER_SAMPLES, new SplittableRandom(MnistData.PAPER_SAMPLE_SEED));
                log(stdout, log, "parzen after " + done + " epochs: "
                        + MnistData.summary(mnist.parzen(samples, MnistData.PAPER_VALIDATION_ROWS)));
            }
        }
        return 0;
    }

    private static void log(PrintWriter stdout, Path log, String line) throws IOException {
        stdout.println(line);
        stdout.flush();
        Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
