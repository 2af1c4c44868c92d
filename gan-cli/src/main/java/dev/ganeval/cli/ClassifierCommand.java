package dev.ganeval.cli;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Activation;
import dev.ganeval.core.nn.ClassifierTrainer;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Sequential;
import dev.ganeval.core.nn.Sgd;
import dev.ganeval.core.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Trains the embedded MNIST network (784 → ReLU 256 → 10) on MNIST train, inputs mapped to [−1, 1] as the ONNX
 * feature extractor feeds them, and exports it with outputs {@code features} (the 256 hidden units) and
 * {@code logits}. The shipped {@code mnist-mlp.onnx} was made with this command's defaults.
 */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "Train the embedded MNIST feature network and export it to ONNX.")
final class ClassifierCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "FILE.onnx", required = true, description = "Where to write the ONNX file.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "12", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.01", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static FloatMatrix toSigned(FloatMatrix x) {
        FloatMatrix y = x.copy();
        float[] d = y.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = 2 * d[i] - 1;
        }
        return y;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        dev.ganeval.core.data.AtomicFiles.requireWritable(out, false);
        FloatMatrix xTrain = toSigned(Idx.readImages(Datasets.mnist(Datasets.Split.TRAIN).images()));
        int[] yTrain = Idx.readLabels(Datasets.mnist(Datasets.Split.TRAIN).labels());
        FloatMatrix xTest = toSigned(Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images()));
        int[] yTest = Idx.readLabels(Datasets.mnist(Datasets.Split.TEST).labels());
        SplittableRandom init = new SplittableRandom(seed);
        Sequential net = new Sequential(new Linear(784, 256).initUniform(init, (float) Math.sqrt(6.0 / (784 + 256))),
                Activation.relu(), new Linear(256, 10).initUniform(init, (float) Math.sqrt(6.0 / (256 + 10))));
        double loss = ClassifierTrainer.train(net, xTrain, yTrain, epochs, 100, Sgd.constant(learningRate, momentum), seed,
                run.bar(spec.commandLine().getErr(), "training"));
        double acc = ClassifierTrainer.accuracy(net, xTest, yTest);
        OnnxExport.write(OnnxExport.classifier(net, "x", 784, 1, 256, 10, "ganeval-mnist-mlp"), out);
        stdout.printf(Locale.ROOT, "MNIST test accuracy %.2f%% after %d epochs (final training loss %.4f); wrote %s%n",
                100 * acc, epochs, loss, out);
        return 0;
    }
}
