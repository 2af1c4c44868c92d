package dev.ganeval.cli;

import dev.ganeval.core.data.AtomicFiles;
import dev.ganeval.metrics.FeatureStatistics;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.EvaluationReport;
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

    @Option(names = "--spark", paramLabel = "MASTER", description = "Compute on Apache Spark: local[*], spark://host:7077, "
            + "yarn..., or 'submit' for the master spark-submit gave. SRC is then a folder or glob Spark can read (hdfs://, "
            + "s3a://...); images it cannot use are counted and named, not fatal. Needs the gan-spark module (docs/scale.md).")
    String spark;

    @Option(names = "--partitions", paramLabel = "N", description = "With --spark: split the images into N partitions "
            + "(default: Spark's split of the files).")
    Integer partitions;

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
        OptionUse.onlyWhere(spec, spark != null, "applies to --spark", "--partitions");
        if (spark != null) {
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
        net.downloadProgress(run.bar(err, "downloading Inception-v3 weights")).networkFor(request, null, src);
        EvaluationReport report;
        try {
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
        if (gen.draws(source)) {
            throw new IllegalArgumentException("--spark reads image folders; a generator (" + source + ") draws on one machine: "
                    + "write its samples to a folder first (ganeval sample), or drop --spark");
        }
        Path local = source.contains("://") ? null : Path.of(source);
        if (local != null && java.nio.file.Files.isRegularFile(local) || source.startsWith("mnist:")) {
            throw new IllegalArgumentException("--spark reads folders of images (or a glob of them); " + source + " is read on one "
                    + "machine: drop --spark");
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        net.requireNetworkForItsOptions();
        ClusterStatistics engine = ClusterStatistics.find().orElseThrow(() -> new IllegalArgumentException("--spark needs the "
                + "gan-spark module on the class path, which ganeval.jar does not carry: run ./ganeval (it adds gan-spark when "
                + "--spark is given), or add gan-spark's jar and its runtime class path (docs/scale.md)"));
        net.downloadProgress(run.bar(err, "downloading Inception-v3 weights"));
        ClusterStatistics.Request request = new ClusterStatistics.Request("submit".equals(spark) ? null : spark, source,
                net.gray ? ImageFolder.Color.GRAY : ImageFolder.Color.RGB, (c, h, w) -> {
                    try {
                        return net.specFor(c, h, w);
                    } catch (dev.ganeval.core.weights.WeightsException e) {
                        throw net.explain(e, null);
                    }
                }, net.device(), partitions == null ? 0 : partitions);
        ClusterStatistics.Result r = engine.compute(request);
        r.warnings().forEach(w -> err.println("ganeval: warning: " + w));
        if (r.skipped() > 0) {
            err.println("ganeval: warning: " + r.skipped() + " of " + r.images() + " images could not be used and are not in the "
                    + "statistics; " + (r.skipped() > r.firstSkipped().size() ? "the first " + r.firstSkipped().size() + ": " : "")
                    + String.join("; ", r.firstSkipped()));
        }
        r.stats().writeNpz(out);
        spec.commandLine().getOut().printf("wrote %s: n=%d, d=%d, features %s (%s on %s, %d partitions, %.1f s)%n", out,
                r.stats().count(), r.stats().dim(), r.featureTag(), engine.engine(), spark, r.partitions(),
                r.time().toNanos() / 1e9);
        return 0;
    }
}
