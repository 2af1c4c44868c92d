package dev.ganeval.cli;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.SquaredDistances;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * A check of the readers and the GEMM on real data: classifies the 10,000 MNIST test digits by their nearest
 * training digit (Euclidean, raw pixels) and reports the error rate next to the published 3.09%.
 */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "Nearest-neighbour classification of MNIST through the fast GEMM (needs testdata/fetch-mnist.sh).")
final class KnnCommand implements Callable<Integer> {

    @Option(names = "--test-rows", paramLabel = "N", description = "How many test digits to classify (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int testRows;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Gemm gemm = Gemm.defaultGemm();
        long t0 = System.nanoTime();
        Datasets.IdxPair train = Datasets.mnist(Datasets.Split.TRAIN);
        Datasets.IdxPair test = Datasets.mnist(Datasets.Split.TEST);
        FloatMatrix xTrain = Idx.readImages(train.images());
        int[] yTrain = Idx.readLabels(train.labels());
        FloatMatrix xTest = Idx.readImages(test.images());
        int[] yTest = Idx.readLabels(test.labels());
        if (testRows < 1 || testRows > xTest.rows()) {
            throw new IllegalArgumentException("--test-rows must be between 1 and " + xTest.rows() + ", got " + testRows);
        }
        xTest = xTest.rowRange(0, testRows);
        long t1 = System.nanoTime();
        err.printf(Locale.ROOT, "classifying %d test digits against %d training digits (%s, %d threads)...%n",
                testRows, xTrain.rows(), gemm.kernelName(), gemm.threads());
        SquaredDistances.Nearest nn = SquaredDistances.nearest(gemm, xTest, xTrain, run.bar(err, "nearest neighbours"));
        long t2 = System.nanoTime();
        int errors = 0;
        for (int i = 0; i < testRows; i++) {
            if (yTrain[nn.index()[i]] != yTest[i]) {
                errors++;
            }
        }
        double seconds = (t2 - t1) / 1e9;
        double gflops = 2.0 * testRows * xTrain.rows() * xTrain.cols() / seconds / 1e9;
        out.printf(Locale.ROOT, "%-34s %s%n", "data", "MNIST train (60,000) / test, 784 pixels in [0,1]");
        out.printf(Locale.ROOT, "%-34s %d / %d = %.2f%%%n", "1-NN test error (Euclidean)", errors, testRows, 100.0 * errors / testRows);
        out.printf(Locale.ROOT, "%-34s %s%n", "published (LeCun et al.)", "3.09% on all 10,000");
        out.printf(Locale.ROOT, "%-34s %.2f s (%.0f GFLOP/s through the GEMM)%n", "distance + search time", seconds, gflops);
        out.printf(Locale.ROOT, "%-34s %.2f s%n", "reading the IDX files", (t1 - t0) / 1e9);
        out.printf(Locale.ROOT, "%-34s %s, %d threads%n", "kernel", gemm.kernelName(), gemm.threads());
        return 0;
    }
}
