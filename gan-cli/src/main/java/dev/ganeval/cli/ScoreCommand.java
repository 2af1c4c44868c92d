package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.onnx.OnnxDiscriminator;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.Metric.Input;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.EvaluationReport;
import dev.ganeval.metrics.evaluation.FeatureNetworks;
import dev.ganeval.metrics.evaluation.GivenRows;
import dev.ganeval.metrics.evaluation.Metrics;
import dev.ganeval.metrics.evaluation.ReportWriter;
import dev.ganeval.metrics.report.EvaluationPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Scores generated samples against real ones: maps the options to an {@link Evaluation} and prints its report. Each
 * side is a folder of images, an IDX file, an {@code .npy} of samples, a data set ({@code mnist:test}), a generator, or
 * (for FID) an {@code .npz} of pytorch-fid statistics. Which metrics exist, what they need and what they are called in
 * reports is the library's ({@link Metrics}); this class names none of them.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score FAKE samples against REAL ones (FID, KID, IS, precision/recall/density/coverage, ...; "
                + "'ganeval metrics' lists them all).")
final class ScoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REAL", arity = "0..1",
            description = "Real samples: folder, IDX, .npy, mnist:test, or .npz stats (a metric on the generated side alone, "
                    + "such as is, needs none).")
    String real;

    @Parameters(index = "1", paramLabel = "FAKE", arity = "0..1",
            description = "Generated samples, same kinds, or an ONNX generator (g.onnx); omit it with --generator.")
    String fake;

    @picocli.CommandLine.Mixin
    GeneratorOptions gen;

    @picocli.CommandLine.Mixin
    SigmaOptions sigma;

    @Option(names = "--metrics", paramLabel = "METRIC", split = ",", defaultValue = "fid",
            description = "Metrics by name: fid, kid, is, prdc, wasserstein (sliced W2 on features), parzen (on pixels), ratio "
                    + "(needs --discriminator), c2st, and the others 'ganeval metrics' lists (default: ${DEFAULT-VALUE}).")
    List<String> metrics;

    @Option(names = "--set", paramLabel = "METRIC.KEY=VALUE",
            description = "A metric's setting, e.g. prdc.k_density_coverage=10 or kid.subsets=50 ('ganeval metrics' lists them).")
    List<String> settings = new ArrayList<>();

    @Option(names = "--discriminator", paramLabel = "D.onnx", description = "ONNX discriminator (x -> p_real) for --metrics ratio.")
    Path discriminator;

    @picocli.CommandLine.Mixin
    NetworkOptions net;

    @Option(names = "--logits", description = "FAKE holds class logits already (an n x classes .npy, e.g. your classifier's "
            + "outputs before the softmax; for probabilities pass their logarithms): --metrics is on them as given, with no network.")
    boolean logits;

    @Option(names = "--logits-output", paramLabel = "NAME", defaultValue = "logits", description = "Network output with class logits, for IS (default: ${DEFAULT-VALUE}).")
    String logitsOutput;

    @Option(names = "--limit", paramLabel = "N", description = "Use at most this many rows of each side.")
    Integer limit;

    @Option(names = "--kid-subset-size", paramLabel = "N", description = "KID subset size (default: 1000); short for --set kid.subset_size=N.")
    Integer kidSubsetSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the metrics that draw at random: KID's "
            + "subsets, the sliced-Wasserstein directions, C2ST's split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Machine-readable output (schema " + ReportWriter.SCHEMA + ", docs/schema: inputs "
            + "with sample counts and hashes, network and protocol, values, uncertainties, details, settings, timings).")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write one self-contained HTML page (pictures inline, "
            + "charts as SVG, no script, opens offline): the scores as in --json, real and generated sample grids, each "
            + "generated sample of a seeded subset beside its nearest real one, the memorisation share, the class histogram "
            + "where the network has logits, and the samples outside every real ball (docs/report.md). --seed also seeds the subset.")
    Path html;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Mixin
    SparkOptions spark;

    @Option(names = "--driver-rows", paramLabel = "N", description = "With --spark: the most images of a side whose feature "
            + "rows (or logits) may come back to the driver, for the metrics that need every row (kid, prdc, is...); a larger "
            + "side is refused before its images are read (default: " + ClusterStatistics.DEFAULT_MAX_ROWS + ", about 600 MB "
            + "with Inception's logits). FID needs only each side's statistics, whatever the count.")
    Integer driverRows;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            return score();
        } finally {
            gen.close();
        }
    }

    private Integer score() {
        PrintWriter stderr = spec.commandLine().getErr();
        Set<Input> needs = checkOptions();
        boolean realNeeded = needs.stream().anyMatch(Input::real);
        placeSides(realNeeded);
        boolean realStats = realNeeded && real.endsWith(".npz");
        boolean fakeStats = fake.endsWith(".npz");
        spark.check();
        OptionUse.onlyWhere(spec, spark.on(), "applies to --spark", "--driver-rows");
        if (html != null) {
            if (spark.on()) {
                throw new IllegalArgumentException("--html shows the samples themselves, which --spark leaves on the cluster: "
                        + "drop --spark, or one of them");
            }
            // Refused before any sample is read: a long run is not to end in "cannot write".
            dev.ganeval.core.data.AtomicFiles.requireWritable(html, false);
        }
        if (spark.on()) {
            return onSpark(needs, realStats, fakeStats, stderr);
        }
        boolean networkRuns = !logits && !net.features && !(realStats && fakeStats);
        net.device.requireOnnx(networkRuns, "--features, --logits and statistics files need no network");
        OptionUse.onlyWhere(spec, !(realStats && fakeStats), "takes the first rows of each side, and statistics files have "
                + "none", "--limit");

        Evaluation.Builder request = Evaluation.builder().seed(seed).progress(step -> run.bar(stderr, step))
                .warnings(w -> stderr.println("ganeval: warning: " + w));
        settings().forEach(request::metric);
        if (html != null) {
            request.sampleDetails();
        }
        if (limit != null) {
            request.limit(limit);
        }
        if (networkRuns) {
            request.device(net.device());
        }
        SampleSource realSource = !realNeeded || realStats ? null : SampleSource.parse(real, net.gray);
        if (realNeeded) {
            request = realStats ? request.real(GaussianStats.readNpz(Path.of(real)), real) : request.real(realSource);
        }
        SampleSource fakeSource = fakeStats ? null : gen.open(fake, net.gray, net.device(), run.bar(stderr, "sampling"), stderr);
        request = fakeStats ? request.fake(GaussianStats.readNpz(Path.of(fake)), fake) : request.fake(fakeSource);
        if (logits) {
            request.network(FeatureNetworks.named(GivenRows.LOGITS));
        } else if (!(realStats && fakeStats)) {
            try {
                net.downloadProgress(run.bar(stderr, net.downloadLabel()))
                        .networkFor(request, net.onnxFile() ? logitsOutput : null, fakeSource, realSource);
            } catch (dev.ganeval.core.weights.WeightsException e) {
                throw net.explain(e, fakeSource != null ? fakeSource : realSource);
            }
        }
        try (OnnxDiscriminator d = discriminator == null ? null : OnnxDiscriminator.load(discriminator, net.device())) {
            if (d != null) {
                request.discriminator(d);
            }
            Evaluation evaluation = request.build();
            EvaluationReport report;
            try {
                report = evaluation.run();
            } catch (dev.ganeval.core.weights.WeightsException e) {
                throw net.explain(e, fakeSource != null ? fakeSource : realSource);
            } catch (InvalidInputException e) {
                // Plain rows, or values outside [0, 1], when only class logits are asked for are most often logits given
                // without --logits.
                boolean logitsOnly = evaluation.needs().equals(EnumSet.of(Input.FAKE_LOGITS));
                throw logitsOnly && !logits && fakeSource != null && (e.getMessage().contains("outside [0, 1]") || fakeSource.flat())
                        ? new InvalidInputException(e.getMessage() + "; if FAKE holds class logits, add --logits") : e;
            }
            print(report);
            if (html != null) {
                try {
                    dev.ganeval.core.data.AtomicFiles.write(html, EvaluationPage.html(report, EvaluationPage.Options.defaults(seed))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                if (!run.quiet) {
                    // On stderr: stdout holds the report, which --json users pipe.
                    stderr.println("ganeval: wrote " + html.toAbsolutePath());
                }
            }
        }
        return 0;
    }

    private void print(EvaluationReport report) {
        spec.commandLine().getOut().print(json ? ReportWriter.json(report) + System.lineSeparator() : ReportWriter.text(report));
    }

    /**
     * Each side that is not a statistics file is computed by a Spark job (one session for both); the metrics then run
     * on the driver from the statistics, and from the feature rows and logits of the metrics that need them.
     */
    private Integer onSpark(Set<Input> needs, boolean realStats, boolean fakeStats, PrintWriter stderr) {
        String onSamples = String.join(", ", metrics.stream().filter(m -> Metrics.inputsOf(List.of(m)).stream().anyMatch(in ->
                in == Input.REAL_PIXELS || in == Input.FAKE_PIXELS || in == Input.DISCRIMINATOR)).toList());
        if (!onSamples.isEmpty()) {
            throw new IllegalArgumentException("--spark brings each side's statistics, feature rows and logits to the driver, "
                    + "not the samples themselves, which " + onSamples + " need" + (onSamples.contains(",") ? "" : "s")
                    + ": score " + (onSamples.contains(",") ? "them" : "it") + " on one machine");
        }
        if (logits || net.features) {
            throw new IllegalArgumentException("--spark reads image folders and runs the network on them; " + (logits ? "--logits"
                    : "--features") + " gives rows of a file: drop --spark");
        }
        OptionUse.onlyWhere(spec, false, "takes the first rows of each side on one machine; with --spark every image is used",
                "--limit");
        if ((realStats || real == null) && fakeStats) {
            throw new IllegalArgumentException("--spark computes from images, and " + (real == null ? "FAKE is" : "both sides are")
                    + " statistics: drop --spark");
        }
        if (driverRows != null && driverRows < 2) {
            throw new IllegalArgumentException("--driver-rows must be at least 2, got " + driverRows);
        }
        int maxRows = driverRows == null ? ClusterStatistics.DEFAULT_MAX_ROWS : driverRows;
        net.requireNetworkForItsOptions();
        List<Boolean> realSide = new ArrayList<>();
        List<ClusterStatistics.Request> requests = new ArrayList<>();
        for (boolean isReal : new boolean[] {true, false}) {
            String side = isReal ? real : fake;
            if (side == null || (isReal ? realStats : fakeStats)) {
                continue;
            }
            spark.requireReadable(side, gen);
            boolean rows = needs.contains(isReal ? Input.REAL_FEATURES : Input.FAKE_FEATURES);
            boolean classLogits = !isReal && needs.contains(Input.FAKE_LOGITS);
            ClusterStatistics.Request r = spark.request(side, net, classLogits && net.onnxFile() ? logitsOutput : null);
            requests.add(rows || classLogits ? r.withRows(rows, classLogits, maxRows) : r);
            realSide.add(isReal);
        }
        ClusterStatistics engine = spark.engine();
        net.downloadProgress(run.bar(stderr, net.downloadLabel()));
        List<ClusterStatistics.Result> results = engine.compute(requests);
        Evaluation.Builder request = Evaluation.builder().seed(seed).progress(step -> run.bar(stderr, step))
                .warnings(w -> stderr.println("ganeval: warning: " + w));
        settings().forEach(request::metric);
        for (int i = 0; i < results.size(); i++) {
            // The jobs' warnings and left-out images are the evaluation's warnings (in --json too).
            boolean isReal = realSide.get(i);
            if (isReal) {
                request.real(results.get(i), real);
            } else {
                request.fake(results.get(i), fake);
            }
        }
        if (realStats) {
            request.real(GaussianStats.readNpz(Path.of(real)), real);
        }
        if (fakeStats) {
            request.fake(GaussianStats.readNpz(Path.of(fake)), fake);
        }
        print(request.run());
        return 0;
    }

    /**
     * Refuses the options that would do nothing with these metrics (rather than ignoring them) and the values out of
     * range, naming the metrics from the registry; returns what the metrics need together.
     */
    private Set<Input> checkOptions() {
        List<String> logitMetrics = Metrics.takingInput(Input.FAKE_LOGITS);
        if (logits && !spec.commandLine().getParseResult().hasMatchedOption("--metrics")) {
            metrics = logitMetrics;
        }
        if (logits) {
            List<String> others = metrics.stream().filter(m -> !Metrics.inputsOf(List.of(m)).equals(EnumSet.of(Input.FAKE_LOGITS)))
                    .toList();
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("--logits gives class logits, which only --metrics " + String.join(",", logitMetrics)
                        + " uses; score the samples themselves for " + String.join(", ", others));
            }
            if (net.features || net.network != null || gen.generator != null) {
                throw new IllegalArgumentException("--logits takes FAKE's rows as the logits, so --features, --network and a "
                        + "generator do not apply");
            }
        }
        Set<Input> needs = Metrics.inputsOf(metrics);
        List<String> judged = Metrics.takingInput(Input.DISCRIMINATOR);
        OptionUse.onlyWhere(spec, needs.contains(Input.DISCRIMINATOR), "is the discriminator for --metrics "
                + String.join(",", judged) + "; add it to --metrics", "--discriminator");
        if (needs.contains(Input.DISCRIMINATOR) && discriminator == null) {
            throw new IllegalArgumentException("--metrics " + String.join(",", metrics.stream().filter(judged::contains).toList())
                    + " needs --discriminator d.onnx (x -> p_real)");
        }
        if (kidSubsetSize != null && kidSubsetSize < 2) {
            throw new IllegalArgumentException("--kid-subset-size must be at least 2 (an unbiased MMD needs two samples a side), got "
                    + kidSubsetSize);
        }
        if (limit != null && limit < 2) {
            throw new IllegalArgumentException("--limit must be at least 2 (no metric here is defined on fewer samples), got " + limit);
        }
        List<String> seeded = Metrics.takingSetting("seed");
        OptionUse.onlyWhere(spec, metrics.stream().anyMatch(seeded::contains) || html != null, "seeds the metrics that draw at random ("
                + String.join(", ", seeded) + ") and the samples --html shows beside their neighbours; add one of them to --metrics",
                "--seed");
        OptionUse.onlyWhere(spec, needs.contains(Input.FAKE_LOGITS) && net.onnxFile() && !logits, "names the class-logits "
                + "output of --network for --metrics " + String.join(",", logitMetrics)
                + "; the embedded MNIST network's is 'logits', and --logits needs none", "--logits-output");
        net.requireNetworkForItsOptions();
        if (net.features && net.network != null) {
            throw new IllegalArgumentException("give --features (the inputs are features) or --network (extract them), not both");
        }
        return needs;
    }

    /**
     * Settles which argument is which side: FAKE alone where no metric needs REAL (the Inception Score), or
     * --generator; refuses a side that is missing or of the wrong kind.
     */
    private void placeSides(boolean realNeeded) {
        if (!realNeeded && fake == null && gen.generator == null) {
            fake = real;
            real = null;
        }
        if (gen.generator != null && fake != null) {
            throw new IllegalArgumentException("give FAKE or --generator, not both");
        }
        if (gen.generator != null) {
            fake = gen.generator.toString();
        }
        if (fake == null) {
            throw new IllegalArgumentException("FAKE is missing: give generated samples, or --generator g.onnx");
        }
        if (real == null && realNeeded) {
            throw new IllegalArgumentException("REAL is missing: give real samples before FAKE (only --metrics "
                    + String.join(",", Metrics.takingInput(Input.FAKE_LOGITS)) + " needs none)");
        }
        if (real != null && GeneratorOptions.isGenerator(real)) {
            throw new IllegalArgumentException("REAL must be data, not a generator (" + real + ")");
        }
        gen.requireGeneratorFor(fake);
        if (logits && gen.draws(fake)) {
            throw new IllegalArgumentException("--logits takes FAKE's rows as the logits, so --features, --network and a generator do not apply");
        }
        if (net.features) {
            net.requireDataWithFeatures(fake, gen);
        }
        if (!realNeeded) {
            real = null;
        }
    }

    /**
     * Each metric of --metrics with its settings from --set, --kid-subset-size and the σ options, refusing a setting
     * of a metric not in --metrics (it would be ignored).
     */
    private Map<String, Map<String, Object>> settings() {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String m : metrics) {
            out.put(m, new LinkedHashMap<>());
        }
        for (String s : settings) {
            int dot = s.indexOf('.');
            int eq = s.indexOf('=');
            if (dot < 1 || eq < dot + 2 || eq == s.length() - 1) {
                throw new IllegalArgumentException("--set takes METRIC.KEY=VALUE, e.g. prdc.k_density_coverage=10; got " + s);
            }
            String metric = s.substring(0, dot);
            if (!metrics.contains(metric)) {
                throw new IllegalArgumentException("--set " + s + " sets " + metric + ", which is not in --metrics; add it");
            }
            out.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(s.substring(dot + 1, eq), s.substring(eq + 1));
        }
        if (kidSubsetSize != null) {
            List<String> takers = Metrics.takingSetting("subset_size");
            List<String> chosen = metrics.stream().filter(takers::contains).toList();
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("--kid-subset-size sets KID's subsets; add " + String.join(" or ", takers)
                        + " to --metrics");
            }
            chosen.forEach(m -> out.computeIfAbsent(m, k -> new LinkedHashMap<>()).put("subset_size", kidSubsetSize));
        }
        double[] sigmas = sigma.sigmas(); // a bad --sigma or --sigma-grid is refused before any data is read
        if (sigma.grid != null || sigma.fixed != null) {
            List<String> takers = Metrics.takingSetting("sigmas");
            List<String> chosen = metrics.stream().filter(takers::contains).toList();
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("--sigma and --sigma-grid set the Parzen window's σ; add "
                        + String.join(" or ", takers) + " to --metrics");
            }
            chosen.forEach(m -> out.computeIfAbsent(m, k -> new LinkedHashMap<>()).put("sigmas", sigmas));
        }
        return out;
    }
}
