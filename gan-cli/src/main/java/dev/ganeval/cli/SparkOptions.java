package dev.ganeval.cli;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --spark MASTER} and {@code --partitions N}: a source read, decoded and run through the network on Apache Spark
 * ({@link ClusterStatistics}, from the gan-spark module), for {@code stats} and {@code score}.
 */
final class SparkOptions {
    @Option(names = "--spark", paramLabel = "MASTER", description = "Compute on Apache Spark: local[*], spark://host:7077, "
            + "yarn..., or 'submit' for the master spark-submit gave. Image sources are then folders or globs Spark can read "
            + "(hdfs://, s3a://...); images it cannot use are counted and named, not fatal. Needs the gan-spark module "
            + "(docs/scale.md).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "With --spark: split each source's images into N "
            + "partitions (default: about 1,000 images each, at least two per task slot).")
    Integer partitions;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    boolean on() {
        return master != null;
    }

    /** Refuses --partitions without --spark and out of range. */
    void check() {
        OptionUse.onlyWhere(mixee, on(), "applies to --spark", "--partitions");
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
    }

    /** Refuses a source Spark does not read: a generator, a single file, a named data set. */
    void requireReadable(String source, GeneratorOptions gen) {
        if (gen.draws(source)) {
            throw new IllegalArgumentException("--spark reads image folders; a generator (" + source + ") draws on one machine: "
                    + "write its samples to a folder first (ganeval sample), or drop --spark");
        }
        Path local = source.contains("://") ? null : Path.of(source);
        String lower = source.toLowerCase(java.util.Locale.ROOT);
        if (local != null && Files.isRegularFile(local) || lower.startsWith("mnist:") || lower.startsWith("fashion-mnist:")) {
            throw new IllegalArgumentException("--spark reads folders of images (or a glob of them); " + source + " is read on one "
                    + "machine: drop --spark");
        }
    }

    /** gan-spark's engine, found on the class path. */
    ClusterStatistics engine() {
        return ClusterStatistics.find().orElseThrow(() -> new IllegalArgumentException("--spark needs the "
                + "gan-spark module on the class path, which ganeval.jar does not carry: run ./ganeval (it adds gan-spark when "
                + "--spark is given), or add gan-spark's jar and its runtime class path (docs/scale.md)"));
    }

    /** Statistics of {@code source} with the network the options choose for its images. */
    ClusterStatistics.Request request(String source, NetworkOptions net, String logitsOutput) {
        return new ClusterStatistics.Request("submit".equals(master) ? null : master, source,
                net.gray ? ImageFolder.Color.GRAY : ImageFolder.Color.RGB, (c, h, w) -> {
                    try {
                        return net.specFor(c, h, w, logitsOutput);
                    } catch (dev.ganeval.core.weights.WeightsException e) {
                        throw net.explain(e, null);
                    }
                }, net.device(), partitions == null ? 0 : partitions);
    }

    /** The network's warnings and the images the job could not use, on stderr. */
    static void report(ClusterStatistics.Result r, PrintWriter err) {
        r.warnings().forEach(w -> err.println("ganeval: warning: " + w));
        r.skippedWarning().ifPresent(w -> err.println("ganeval: warning: " + w));
    }
}
