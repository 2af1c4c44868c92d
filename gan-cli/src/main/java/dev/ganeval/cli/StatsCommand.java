package dev.ganeval.cli;

import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.features.FeatureExtractor;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes the FID statistics (mu, sigma, and n) of a source's features as a pytorch-fid compatible {@code .npz}. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Save FID statistics of SRC's features to OUT.npz (pytorch-fid's format).")
final class StatsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "Folder, IDX, .npy, mnist:test, or an ONNX generator (g.onnx, see --n).")
    String source;

    @picocli.CommandLine.Mixin
    GeneratorOptions gen;

    @Parameters(index = "1", paramLabel = "OUT.npz")
    Path out;

    @picocli.CommandLine.Mixin
    NetworkOptions net;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try {
            return stats();
        } finally {
            gen.close();
        }
    }

    private Integer stats() throws IOException {
        var err = spec.commandLine().getErr();
        if (gen.generator != null) {
            throw new IllegalArgumentException("stats takes the generator as SRC (g.onnx), not --generator");
        }
        gen.requireGeneratorFor(source);
        net.requireNetworkForItsOptions();
        net.device.requireOnnx(!net.features, "--features need no network");
        net.requireDataWithFeatures(source, gen);
        SampleSource src = gen.open(source, net.gray, net.device(), run.bar(err, "sampling"), err);
        try (OnnxFeatureExtractor network = net.networkFor(src, net.output, "features")) {
            FeatureExtractor fx = NetworkOptions.orRows(network, src);
            // An image folder or a generator too large for memory is streamed through the network (Samples).
            Samples samples = new Samples(src, null, false, (batch, firstRow) -> net.requirePixels(batch, firstRow, src));
            FloatMatrix features = samples.through(fx, run.bar(err, "features"));
            GaussianStats stats = src.named(() -> GaussianStats.of(features));
            stats.writeNpz(out);
            spec.commandLine().getOut().printf("wrote %s: n=%d, d=%d, features %s%n", out, stats.count(), stats.dim(), fx.tag());
        }
        return 0;
    }
}
