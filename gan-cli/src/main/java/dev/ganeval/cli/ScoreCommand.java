package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.InceptionScore;
import dev.ganeval.metrics.KernelInceptionDistance;
import dev.ganeval.metrics.PrecisionRecall;
import dev.ganeval.metrics.PrdcResult;
import dev.ganeval.metrics.Score;
import dev.ganeval.metrics.features.FeatureExtractor;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.metrics.RealFakeRatio;
import dev.ganeval.metrics.Wasserstein;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Scores generated samples against real ones. Each side is a folder of images, an IDX file, an {@code .npy} of
 * samples, a data set ({@code mnist:test}), or (for FID) an {@code .npz} of pytorch-fid statistics. Features come
 * from {@code --network} (any ONNX network, pytorch-fid preprocessing) or, for 28×28 grayscale data, from the
 * embedded MNIST network — reported as {@code FID[mnist-mlp]}, never as Inception.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score FAKE samples against REAL ones (FID, KID, IS, precision/recall/density/coverage).")
final class ScoreCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REAL", arity = "0..1",
            description = "Real samples: folder, IDX, .npy, mnist:test, or .npz stats (--metrics is alone needs only the generated side).")
    String real;

    @Parameters(index = "1", paramLabel = "FAKE", arity = "0..1",
            description = "Generated samples, same kinds, or an ONNX generator (g.onnx); omit it with --generator.")
    String fake;

    @picocli.CommandLine.Mixin
    GeneratorOptions gen;

    @picocli.CommandLine.Mixin
    SigmaOptions sigma;

    @Option(names = "--metrics", paramLabel = "METRIC", split = ",", defaultValue = "fid",
            description = "Any of fid, kid, is, prdc, wasserstein (sliced W2 on features), parzen (on pixels), "
                    + "ratio (needs --discriminator) (default: ${DEFAULT-VALUE}).")
    List<String> metrics;

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

    @Option(names = "--kid-subset-size", paramLabel = "N", defaultValue = "1000", description = "KID subset size (default: ${DEFAULT-VALUE}).")
    int kidSubsetSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed for KID subsets and the sliced-Wasserstein directions (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Machine-readable output (schema ganeval.score/1: inputs, settings, values, uncertainties, timings).")
    boolean json;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Seconds per step (read, sample, features, and each metric), for the JSON report. */
    private final Map<String, Double> timings = new LinkedHashMap<>();

    @Override
    public Integer call() {
        try {
            return score();
        } finally {
            gen.close();
        }
    }

    private Integer score() {
        long t0 = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        for (String m : metrics) {
            if (!List.of("fid", "kid", "is", "prdc", "wasserstein", "parzen", "ratio").contains(m)) {
                throw new IllegalArgumentException("unknown metric '" + m + "' in --metrics; use fid, kid, is, prdc, wasserstein, parzen, ratio");
            }
        }
        if (logits && !spec.commandLine().getParseResult().hasMatchedOption("--metrics")) {
            metrics = List.of("is");
        }
        OptionUse.onlyWhere(spec, metrics.contains("ratio"), "is the discriminator for --metrics ratio; add ratio to --metrics",
                "--discriminator");
        OptionUse.onlyWhere(spec, metrics.contains("kid"), "sets KID's subsets; add kid to --metrics", "--kid-subset-size");
        if (kidSubsetSize < 2) {
            throw new IllegalArgumentException("--kid-subset-size must be at least 2 (an unbiased MMD needs two samples a side), got "
                    + kidSubsetSize);
        }
        if (limit != null && limit < 2) {
            throw new IllegalArgumentException("--limit must be at least 2 (no metric here is defined on fewer samples), got " + limit);
        }
        OptionUse.onlyWhere(spec, metrics.contains("kid") || metrics.contains("wasserstein"), "seeds KID's subsets and the "
                + "sliced-Wasserstein directions; add kid or wasserstein to --metrics", "--seed");
        OptionUse.onlyWhere(spec, metrics.contains("is") && net.network != null && !logits, "names the class-logits output of "
                + "--network for --metrics is; the embedded MNIST network's is 'logits', and --logits needs none", "--logits-output");
        net.requireNetworkForItsOptions();
        // The Inception Score looks at the generated side only: one input is FAKE.
        boolean onlyIs = metrics.stream().allMatch("is"::equals);
        if (logits && !onlyIs) {
            throw new IllegalArgumentException("--logits gives class logits, which only --metrics is uses; score the samples "
                    + "themselves for " + String.join(", ", metrics.stream().filter(m -> !m.equals("is")).toList()));
        }
        if (onlyIs && fake == null && gen.generator == null) {
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
        if (real == null && !onlyIs) {
            throw new IllegalArgumentException("REAL is missing: give real samples before FAKE (only --metrics is needs none)");
        }
        if (real != null && GeneratorOptions.isGenerator(real)) {
            throw new IllegalArgumentException("REAL must be data, not a generator (" + real + ")");
        }
        gen.requireGeneratorFor(fake);
        if (logits) {
            net.device.requireOnnx(false, "--logits are scored as given");
            return scoreLogits(t0, stdout);
        }
        sigma.sigmas(); // a bad --sigma or --sigma-grid is refused before any data is read
        if ((sigma.grid != null || sigma.fixed != null) && !metrics.contains("parzen")) {
            throw new IllegalArgumentException("--sigma and --sigma-grid set the Parzen window's σ; add parzen to --metrics");
        }
        if (net.features) {
            List<String> onSamples = metrics.stream().filter(m -> List.of("is", "parzen", "ratio").contains(m)).toList();
            if (!onSamples.isEmpty()) {
                throw new IllegalArgumentException("--features gives features, but " + String.join(", ", onSamples)
                        + " needs samples (is: a classifier's logits, parzen and ratio: the samples themselves); "
                        + "with --features use fid, kid, prdc, wasserstein, and give class logits to is with --logits");
            }
            net.requireDataWithFeatures(fake, gen);
        }
        boolean realStats = real != null && real.endsWith(".npz");
        boolean fakeStats = fake.endsWith(".npz");
        net.device.requireOnnx(!net.features && !(realStats && fakeStats), "--features and statistics files need no network");
        OptionUse.onlyWhere(spec, !(realStats && fakeStats), "takes the first rows of each side, and statistics files have "
                + "none", "--limit");
        if ((realStats || fakeStats) && !metrics.equals(List.of("fid"))) {
            throw new IllegalArgumentException("an .npz of statistics supports only --metrics fid");
        }
        List<Score> results = new ArrayList<>();
        String label;
        Map<String, Object> inputs = new LinkedHashMap<>();
        if (real != null) {
            inputs.put("real", real);
        }
        inputs.put("fake", fake);
        if (realStats && fakeStats) {
            label = "stats";
            results.add(timed("fid", () -> FrechetDistance.between(GaussianStats.readNpz(Path.of(real)), GaussianStats.readNpz(Path.of(fake)))));
        } else {
            SampleSource realRead = realStats || real == null ? null : timed("read", () -> SampleSource.parse(real, net.gray));
            SampleSource fakeRead = fakeStats ? null : timed(gen.draws(fake) ? "load" : "read",
                    () -> gen.open(fake, net.gray, net.device(), run.bar(stderr, "sampling"), stderr));
            // Flattened rows (an n x 784 .npy) take the image shape of the other side when the sizes agree.
            SampleSource realSrc = realRead != null && fakeRead != null ? realRead.shapedLike(fakeRead) : realRead;
            SampleSource fakeSrc = realRead != null && fakeRead != null ? fakeRead.shapedLike(realRead) : fakeRead;
            if (fakeSrc != null) {
                inputs.put("fake", fakeSrc.describe());
            }
            SampleSource geometry = realSrc != null ? realSrc : fakeSrc;
            if (net.features && realSrc != null && fakeSrc != null && rowLength(realSrc) != rowLength(fakeSrc)) {
                throw new InvalidInputException("REAL has " + rowLength(realSrc) + " features a row but FAKE has "
                        + rowLength(fakeSrc) + "; both sides must come from the same feature network");
            }
            if (!net.features && realSrc != null && fakeSrc != null && (realSrc.channels() != fakeSrc.channels()
                    || realSrc.height() != fakeSrc.height() || realSrc.width() != fakeSrc.width())) {
                boolean colorOnly = realSrc.height() == fakeSrc.height() && realSrc.width() == fakeSrc.width();
                throw new InvalidInputException("REAL is " + shape(realSrc) + " but FAKE is " + shape(fakeSrc)
                        + (colorOnly ? "; one side is read in color, so pass --gray to read image folders as grayscale"
                                : "; both sides must have the same image size"));
            }
            label = net.label();
            // Parzen and the ratio score the pixels themselves; for the rest an image folder is streamed through the network.
            boolean pixelsNeeded = metrics.contains("parzen") || metrics.contains("ratio");
            // Named here, by source, before a network or the Parzen window turns a bad pixel into a wrong score.
            Samples realS = realSrc == null ? null : timed("read", () -> new Samples(realSrc, limit, pixelsNeeded,
                    (batch, firstRow) -> net.requirePixels(batch, firstRow, realSrc)));
            Samples fakeS = fakeSrc == null ? null : timed(gen.draws(fake) ? "sample" : "read", () -> new Samples(fakeSrc, limit, pixelsNeeded,
                    (batch, firstRow) -> {
                        try {
                            net.requirePixels(batch, firstRow, fakeSrc);
                        } catch (InvalidInputException e) {
                            // Values outside [0, 1] in an IS-only run are most often a classifier's logits given without --logits.
                            throw onlyIs ? new InvalidInputException(e.getMessage() + "; if FAKE holds class logits, add --logits") : e;
                        }
                    }));
            if (realS != null) {
                inputs.put("real_samples", realS.rows());
            }
            if (fakeS != null) {
                inputs.put("fake_samples", fakeS.rows());
            }
            if (metrics.contains("kid") && Math.min(realS.rows(), fakeS.rows()) < kidSubsetSize) {
                throw new InvalidInputException("KID draws subsets of " + kidSubsetSize + " samples from each side, but got "
                        + realS.rows() + " real and " + fakeS.rows() + " fake; pass --kid-subset-size "
                        + Math.min(realS.rows(), fakeS.rows()) + " or score more samples");
            }
            boolean needFeatures = metrics.contains("fid") || metrics.contains("kid") || metrics.contains("prdc")
                    || metrics.contains("wasserstein");
            if (needFeatures) {
                try (OnnxFeatureExtractor network = net.networkFor(geometry, net.output, "features")) {
                    FeatureExtractor fx = NetworkOptions.orRows(network, geometry);
                    inputs.put("features", fx.tag());
                    FloatMatrix realF = realS == null ? null : timed("features", () -> realS.through(fx, run.bar(stderr, "features (real)")));
                    FloatMatrix fakeF = fakeS == null ? null : timed("features", () -> fakeS.through(fx, run.bar(stderr, "features (fake)")));
                    if (metrics.contains("fid")) {
                        results.add(timed("fid", () -> {
                            GaussianStats rs = realF == null ? GaussianStats.readNpz(Path.of(real))
                                    : realSrc.named(() -> GaussianStats.of(realF));
                            GaussianStats fs = fakeF == null ? GaussianStats.readNpz(Path.of(fake))
                                    : fakeSrc.named(() -> GaussianStats.of(fakeF));
                            return FrechetDistance.between(rs, fs);
                        }));
                    }
                    if (metrics.contains("kid")) {
                        results.add(timed("kid", () -> KernelInceptionDistance.builder().subsetSize(kidSubsetSize).seed(seed).build()
                                .compute(realF, fakeF)));
                    }
                    if (metrics.contains("prdc")) {
                        results.add(timed("prdc", () -> PrecisionRecall.create().compute(realF, fakeF)));
                    }
                    if (metrics.contains("wasserstein")) {
                        results.add(timed("wasserstein", () -> Wasserstein.sliced(realF, fakeF, 2, 50, seed)));
                    }
                }
            }
            if (metrics.contains("parzen")) {
                // σ from the grid on the first tenth of REAL (or fixed), the log-likelihood of the rest under FAKE.
                FloatMatrix realX = realS.pixels();
                FloatMatrix fakeX = fakeS.pixels();
                int v = Math.max(1, realX.rows() / 10);
                results.add(timed("parzen", () -> sigma.score(fakeX, () -> realX.rowRange(0, v), realX.rowRange(v, realX.rows()),
                            run.bar(stderr, "parzen"))));
            }
            if (metrics.contains("ratio")) {
                if (discriminator == null) {
                    throw new IllegalArgumentException("--metrics ratio needs --discriminator d.onnx (x -> p_real)");
                }
                try (OnnxModel d = OnnxModel.load(discriminator, net.device())) {
                    String out = d.outputNames().contains("p_real") ? "p_real" : d.outputNames().get(0);
                    results.add(timed("ratio", () -> RealFakeRatio.create().evaluate(x -> d.run(x, out).data(), realS.pixels(),
                            fakeS.pixels())));
                }
            }
            if (metrics.contains("is")) {
                try (OnnxFeatureExtractor fx = net.extractor(geometry, logitsOutput, "logits")) {
                    inputs.put("logits", fx.tag());
                    FloatMatrix logits = timed("features", () -> fakeS.through(fx, run.bar(stderr, "logits (fake)")));
                    results.add(timed("is", () -> fakeSrc.named(() -> InceptionScore.create().fromLogits(logits))));
                }
            }
        }
        return print(stdout, stderr, inputs, results, label, t0);
    }

    /** --logits: IS on the rows of FAKE as they are. */
    private int scoreLogits(long t0, PrintWriter stdout) {
        if (net.features || net.network != null || gen.draws(fake)) {
            throw new IllegalArgumentException("--logits takes FAKE's rows as the logits, so --features, --network and a generator do not apply");
        }
        SampleSource src = timed("read", () -> SampleSource.parse(fake, false));
        FloatMatrix z = timed("read", () -> Samples.firstRows(src.read(), limit));
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("fake", src.describe());
        inputs.put("fake_samples", z.rows());
        List<Score> results = List.of(timed("is", () -> src.named(() -> InceptionScore.create().fromLogits(z))));
        return print(stdout, spec.commandLine().getErr(), inputs, results, "logits", t0);
    }

    private int print(PrintWriter stdout, PrintWriter stderr, Map<String, Object> inputs, List<Score> results, String label, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (json) {
            stdout.println(Json.write(report(inputs, results, label, net.device.used(), seconds, timings)));
        } else {
            for (Score s : results) {
                stdout.printf(Locale.ROOT, "%-28s %s%n", s.metric() + "[" + space(s, label) + "]", format(s));
                if (s instanceof dev.ganeval.metrics.FidResult f) {
                    for (String w : f.warnings()) {
                        stderr.println("ganeval: warning: " + w);
                    }
                }
            }
            stdout.printf(Locale.ROOT, "%-28s %.1f s%n", "time", seconds);
        }
        return 0;
    }

    /** Parzen and the real/fake ratio work on the samples themselves, not on network features. */
    private static String space(Score s, String network) {
        return s instanceof dev.ganeval.metrics.ParzenResult || s instanceof dev.ganeval.metrics.RatioResult ? "pixels" : network;
    }

    private static long rowLength(SampleSource s) {
        return (long) s.channels() * s.height() * s.width();
    }

    private static String shape(SampleSource s) {
        return s.channels() + "x" + s.height() + "x" + s.width();
    }

    private static String format(Score s) {
        if (s instanceof PrdcResult p) {
            return String.format(Locale.ROOT, "precision %.4f  recall %.4f  density %.4f  coverage %.4f",
                    p.precision(), p.recall(), p.density(), p.coverage());
        }
        if (s instanceof dev.ganeval.metrics.RatioResult r) {
            // The ratio alone hides what drives it: how often D calls each side real, and what it outputs on average.
            return String.format(Locale.ROOT, "%.4f (%.0f%%: %.4f to %.4f)  judged real: real %.4f, fake %.4f  mean D: real %.4f, "
                            + "fake %.4f", r.ratio(), 100 * r.realJudgedReal().confidence(), r.ratioLow(), r.ratioHigh(),
                    r.realJudgedReal().estimate(), r.fakeJudgedReal().estimate(), r.meanOutputReal(), r.meanOutputFake());
        }
        return Double.isNaN(s.uncertainty()) ? String.format(Locale.ROOT, "%.4f", s.value())
                : String.format(Locale.ROOT, "%.4f ± %.4f", s.value(), s.uncertainty());
    }

    /** Runs {@code step}, adding its wall time to {@code timings[name]} (reported in the JSON). */
    private <T> T timed(String name, java.util.function.Supplier<T> step) {
        long t = System.nanoTime();
        try {
            return step.get();
        } finally {
            timings.merge(name, (System.nanoTime() - t) / 1e9, Double::sum);
        }
    }

    private static Map<String, Object> report(Map<String, Object> inputs, List<Score> results, String label, String device,
                                              double seconds, Map<String, Double> timings) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("schema", "ganeval.score/1");
        r.put("tool_version", new GanEval.Version().getVersion()[0]);
        r.put("inputs", inputs);
        r.put("network", label);
        r.put("device", device);
        List<Object> list = new ArrayList<>();
        for (Score s : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", s.metric());
            m.put("space", space(s, label));
            m.put("value", s.value());
            m.put("uncertainty", s.uncertainty());
            if (s instanceof PrdcResult p) {
                m.put("recall", p.recall());
                m.put("density", p.density());
                m.put("coverage", p.coverage());
            }
            if (s instanceof dev.ganeval.metrics.FidResult f) {
                // The two parts of FID: how far the means are apart, and how differently the features spread.
                m.put("mean_term", f.meanTerm());
                m.put("trace_term", f.traceTerm());
            }
            if (s instanceof dev.ganeval.metrics.RatioResult q) {
                m.put("interval", List.of(q.ratioLow(), q.ratioHigh()));
                m.put("real_judged_real", q.realJudgedReal().estimate());
                m.put("fake_judged_real", q.fakeJudgedReal().estimate());
                m.put("mean_output_real", q.meanOutputReal());
                m.put("mean_output_fake", q.meanOutputFake());
            }
            m.put("settings", new LinkedHashMap<>(s.settings()));
            if (s instanceof dev.ganeval.metrics.FidResult f) {
                m.put("warnings", f.warnings());
            }
            list.add(m);
        }
        r.put("results", list);
        r.put("seconds", seconds);
        r.put("timings", new LinkedHashMap<>(timings));
        return r;
    }
}
