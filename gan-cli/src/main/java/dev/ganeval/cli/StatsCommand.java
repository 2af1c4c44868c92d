package dev.ganeval.cli;

import dev.ganeval.core.data.SampleSource;
import dev.ganeval.metrics.GaussianStats;
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
    @Parameters(index = "0", paramLabel = "SRC", description = "Folder, IDX, .npy or mnist:test.")
    String source;

    @Parameters(index = "1", paramLabel = "OUT.npz")
    Path out;

    @picocli.CommandLine.Mixin
    NetworkOptions net;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SampleSource src = SampleSource.parse(source, net.gray);
        OnnxFeatureExtractor fx = net.extractor(src, net.output, "features");
        try (fx) {
            GaussianStats stats = GaussianStats.of(fx.extract(src.read()));
            stats.writeNpz(out);
            spec.commandLine().getOut().printf("wrote %s: n=%d, d=%d, features %s%n", out, stats.count(), stats.dim(), fx.tag());
        }
        return 0;
    }
}
