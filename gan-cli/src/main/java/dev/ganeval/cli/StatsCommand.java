package dev.ganeval.cli;

import dev.ganeval.core.data.AtomicFiles;
import dev.ganeval.metrics.FeatureStatistics;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.EvaluationReport;
import picocli.CommandLine.Command;
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

    @picocli.CommandLine.Mixin
    SparkOptions spark;

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
        AtomicFiles.requireWritable(out, false);
        spark.check();
        if (spark.on()) {
            return onSpark(err);
        }
        net.requireNetworkForItsOptions();
        net.device.requireOnnx(!net.features, "--features need no network");
        net.requireDataWithFeatures(source, gen);
        // An image folder or a generator is streamed through the network a batch at a time: O(d²) memory for any count.
        var src = gen.open(source, net.gray, net.device(), run.bar(err, "sampling"), err);
        Evaluation.Builder request = Evaluation.builder().fake(src).metric(new FeatureStatistics()).progress(step -> run.bar(err, step))
                .warnings(w -> err.println("ganeval: warning: " + w));
        if (!net.features) {
            request.device(net.device());
        }
        EvaluationReport report;
        try {
            net.downloadProgress(run.bar(err, net.downloadLabel())).networkFor(request, null, src);
            report = request.run();
        } catch (dev.ganeval.core.weights.WeightsException e) {
            throw net.explain(e, src);
        }
        GaussianStats stats = ((FeatureStatistics.Result) report.scores().get(0).result()).stats();
        stats.writeNpz(out);
        spec.commandLine().getOut().printf("wrote %s: n=%d, d=%d, features %s%n", out, stats.count(), stats.dim(),
                report.featureTag());
        return 0;
    }

    /** The same statistics from a Spark job: the source is read, decoded and run through the network on the executors. */
    private Integer onSpark(java.io.PrintWriter err) throws IOException {
        spark.requireReadable(source, gen);
        net.requireNetworkForItsOptions();
        ClusterStatistics engine = spark.engine();
        net.downloadProgress(run.bar(err, net.downloadLabel()));
        ClusterStatistics.Result r = engine.compute(spark.request(source, net, null));
        SparkOptions.report(r, err);
        r.stats().writeNpz(out);
        spec.commandLine().getOut().printf("wrote %s: n=%d, d=%d, features %s (%s on %s, %d partitions, %.1f s)%n", out,
                r.stats().count(), r.stats().dim(), r.featureTag(), engine.engine(), spark.master, r.partitions(),
                r.time().toNanos() / 1e9);
        return 0;
    }
}
