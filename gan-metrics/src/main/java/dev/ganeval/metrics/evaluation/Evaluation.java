package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.Discriminator;
import dev.ganeval.core.Generator;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.data.UnitRange;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.Metric;
import dev.ganeval.metrics.Metric.Input;
import dev.ganeval.metrics.MetricInputs;
import dev.ganeval.metrics.PrecisionRecall;
import dev.ganeval.metrics.SampleNeighbours;
import dev.ganeval.metrics.Score;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One evaluation from samples to an {@link EvaluationReport}: two sides (real and generated: sources of samples,
 * generators, or Gaussian statistics), a feature network, metrics by name with their settings, a row limit, a seed, the
 * device and the thread count. The whole request is
 * checked when it is built — each metric's needs against what the sides and the network can give, and the sample
 * counts that are known in advance — so that a request that cannot be satisfied fails in one message before any
 * sample is read.
 *
 * <pre>{@code
 * EvaluationReport r = Evaluation.of(SampleSources.folder(Path.of("real")), SampleSources.folder(Path.of("fake")))
 *         .network(FeatureNetworks.named("inception.onnx"))
 *         .metrics("fid", "kid", "is")
 *         .run();
 * double fid = r.score("fid").value();
 * }</pre>
 *
 * <p>Each side is read once, in batches: a batch is decoded (or drawn from a generator), checked, passed through the
 * network once for both features and logits, and folded into the Gaussian statistics (float64, Chan's merge) as it
 * arrives. Feature rows are kept only for the metrics that need them (KID, PRDC, Wasserstein, C2ST...), pixels only for
 * the metrics on the samples themselves (Parzen, the real/fake ratio); FID alone holds O(d²) memory whatever the
 * sample count.
 */
public final class Evaluation {
    /** Bytes of samples a batch may hold; batches hold 50 to 1,000 rows. */
    private static final long BATCH_BYTES = 64L << 20;

    private final Side real;
    private final Side fake;
    private final FeatureNetwork network;
    private final List<Metric> metrics;
    private final Set<Input> needs;
    private final Integer limit;
    private final long seed;
    private final Device device;
    private final Discriminator discriminator;
    private final Function<String, Progress> progress;
    private final Consumer<String> warnings;
    private final boolean sampleDetails;

    private Evaluation(Builder b, Side real, Side fake, FeatureNetwork network, List<Metric> metrics, Set<Input> needs) {
        this.real = real;
        this.fake = fake;
        this.network = network;
        this.metrics = metrics;
        this.needs = needs;
        this.limit = b.limit;
        this.seed = b.seed;
        this.device = b.device;
        this.discriminator = b.discriminator;
        this.progress = b.progress;
        this.warnings = b.warnings;
        this.sampleDetails = b.sampleDetails;
    }

    /** A request scoring {@code fake} against {@code real}. */
    public static Builder of(SampleSource real, SampleSource fake) {
        return builder().real(real).fake(fake);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One side: samples, statistics given in advance, or what a cluster computed from samples there (statistics, and the
     * rows and logits it was asked for).
     */
    private record Side(String label, SampleSource source, GaussianStats stats, String name, ClusterStatistics.Result computed) {
        Side(String label, SampleSource source, GaussianStats stats, String name) {
            this(label, source, stats, name, null);
        }

        boolean samples() {
            return source != null;
        }

        /** Whether this side, not being samples here, can give {@code in}. */
        boolean gives(Input in) {
            if (in == Input.REAL_STATISTICS || in == Input.FAKE_STATISTICS) {
                return true;
            }
            if (computed == null) {
                return false;
            }
            return switch (in) {
                case REAL_FEATURES, FAKE_FEATURES -> computed.features() != null;
                case FAKE_LOGITS -> computed.logits() != null;
                default -> false;
            };
        }
    }

    /** Collects the request; {@link #build()} checks it whole. */
    public static final class Builder {
        private Side real;
        private Side fake;
        private FeatureNetwork network;
        private final Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
        private final List<Metric> instances = new ArrayList<>();
        private Integer limit;
        private long seed;
        private Device device = Device.CPU;
        private Discriminator discriminator;
        private Function<String, Progress> progress = step -> Progress.NONE;
        private Consumer<String> warnings = w -> { };
        private Integer threads;
        private boolean sampleDetails;

        private Builder() {}

        /** The real samples. */
        public Builder real(SampleSource source) {
            this.real = new Side("real", Objects.requireNonNull(source, "source"), null, source.describe());
            return this;
        }

        /** The real side as statistics computed before (e.g. a pytorch-fid {@code .npz}); only FID can use them. */
        public Builder real(GaussianStats stats, String name) {
            this.real = new Side("real", null, Objects.requireNonNull(stats, "stats"), Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * The real side as a cluster computed it ({@link ClusterStatistics}): its statistics, and for metrics on rows its
         * feature rows, which the request to the cluster must have asked for.
         */
        public Builder real(ClusterStatistics.Result computed, String name) {
            this.real = new Side("real", null, Objects.requireNonNull(computed, "computed").stats(),
                    Objects.requireNonNull(name, "name"), computed);
            return this;
        }

        /** The generated side as a cluster computed it: statistics, and the rows and logits that were asked for. */
        public Builder fake(ClusterStatistics.Result computed, String name) {
            this.fake = new Side("fake", null, Objects.requireNonNull(computed, "computed").stats(),
                    Objects.requireNonNull(name, "name"), computed);
            return this;
        }

        /** The generated samples. */
        public Builder fake(SampleSource source) {
            this.fake = new Side("fake", Objects.requireNonNull(source, "source"), null, source.describe());
            return this;
        }

        /** The generated side as statistics computed before. */
        public Builder fake(GaussianStats stats, String name) {
            this.fake = new Side("fake", null, Objects.requireNonNull(stats, "stats"), Objects.requireNonNull(name, "name"));
            return this;
        }

        /** The generated side drawn from a generator: {@code n} samples of the given shape, seeded (see {@link SampleSources#generator}). */
        public Builder fake(Generator generator, int n, long seed, int channels, int height, int width) {
            return fake(SampleSources.generator(generator, n, seed, channels, height, width, "generator"));
        }

        /**
         * The feature network; without one, 28×28 grayscale samples use the embedded MNIST network and other images
         * pytorch-fid's Inception-v3 ({@link FeatureNetworks#defaultFor}).
         */
        public Builder network(FeatureNetwork network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /** Metrics by registry name ({@link Metrics}), with their default settings. */
        public Builder metrics(String... names) {
            for (String n : names) {
                metric(n, Map.of());
            }
            return this;
        }

        /** A metric by registry name with settings ({@code kid}: {@code subset_size → 500}); unknown keys are refused. */
        public Builder metric(String name, Map<String, ?> settings) {
            Objects.requireNonNull(name, "name");
            metrics.computeIfAbsent(name, k -> new LinkedHashMap<>()).putAll(settings);
            return this;
        }

        /** A metric instance that is not registered (a user's own), scored like the registered ones. */
        public Builder metric(Metric metric) {
            instances.add(Objects.requireNonNull(metric, "metric"));
            return this;
        }

        /** At most this many rows of each side (the first ones). */
        public Builder limit(int rows) {
            if (rows < 2) {
                throw new InvalidInputException("the row limit must be at least 2 (no metric here is defined on fewer samples), got "
                        + rows);
            }
            this.limit = rows;
            return this;
        }

        /** The seed of every seeded metric that is not given its own (KID's subsets, sliced directions, C2ST's split). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Threads for the kernels and ONNX Runtime sessions: sets the process-wide count ({@link ComputeThreads#set}, as
         * {@code --threads} does) when the request is built. Results do not depend on it beyond speed: the kernels split
         * work so that every thread count gives the same bits.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new InvalidInputException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Where ONNX Runtime runs the network. */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /** The discriminator the real/fake ratio asks. */
        public Builder discriminator(Discriminator discriminator) {
            this.discriminator = Objects.requireNonNull(discriminator, "discriminator");
            return this;
        }

        /** A progress sink for each long step, by its name ({@code features (real)}, {@code parzen}...). */
        public Builder progress(Function<String, Progress> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Keeps what a report needs to show the samples behind the scores ({@link EvaluationReport#sampleDetails()}): each
         * side's pictures (8-bit, at most 64 pixels a side), the feature rows for an exact nearest-neighbour search
         * (reusing PRDC's distances when prdc is scored), and the class logits of both sides when the network gives
         * them. Costs memory (the rows of both sides, even for FID alone) and, without prdc, two distance passes; the
         * scores and the inputs' hashes are the same with it as without.
         */
        public Builder sampleDetails() {
            this.sampleDetails = true;
            return this;
        }

        /** Where warnings go as they arise (they are in the report as well). */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings, "warnings");
            return this;
        }

        /**
         * The checked request.
         *
         * @throws InvalidInputException naming what cannot be satisfied: an unknown metric or setting, a side a metric
         *                               needs that is missing or cannot give it, a network without the output asked for,
         *                               sides of different shapes, too few samples
         */
        public Evaluation build() {
            if (fake == null) {
                throw new InvalidInputException("the generated side is missing: give samples, a generator or statistics");
            }
            if (threads != null) {
                ComputeThreads.set(threads); // before the metrics take their kernels
            }
            List<Metric> ms = new ArrayList<>();
            for (Map.Entry<String, Map<String, Object>> e : metrics.entrySet()) {
                ms.add(Metrics.create(e.getKey(), e.getValue(), seed));
            }
            ms.addAll(instances);
            if (ms.isEmpty()) {
                throw new InvalidInputException("no metric asked for; known: " + String.join(", ", Metrics.names()));
            }
            Set<Input> needs = EnumSet.noneOf(Input.class);
            for (Metric m : ms) {
                needs.addAll(m.inputs());
            }
            Side r = real;
            Side f = fake;
            boolean needReal = needs.stream().anyMatch(Input::real);
            if (needReal && r == null) {
                throw new InvalidInputException("the real side is missing: " + names(ms, Input::real) + " compare"
                        + (names(ms, Input::real).contains(",") ? "" : "s") + " generated samples with real ones");
            }
            if (!needReal) {
                r = null; // IS alone: the real side is not read
            }
            for (Side s : new Side[] {r, f}) {
                if (s != null && !s.samples()) {
                    for (Metric m : ms) {
                        for (Input in : m.inputs()) {
                            boolean mine = in.real() == s.label().equals("real") && in != Input.DISCRIMINATOR;
                            if (mine && !s.gives(in)) {
                                throw new InvalidInputException(s.computed() == null
                                        ? "the " + s.label() + " side (" + s.name() + ") is statistics, which only fid and fd can use; "
                                        + m.name() + " needs the " + describe(in)
                                        : "the " + s.label() + " side (" + s.name() + ") was computed on a cluster without the "
                                        + describe(in) + " that " + m.name() + " needs"
                                        + (in == Input.REAL_PIXELS || in == Input.FAKE_PIXELS ? ", which stay there"
                                        : "; ask the cluster for them"));
                            }
                        }
                    }
                }
            }
            // Flattened rows (an n x 784 .npy) take the image shape of the other side when the sizes agree.
            if (r != null && r.samples() && f.samples()) {
                r = new Side("real", r.source().shapedLike(f.source()), null, r.name());
                f = new Side("fake", f.source().shapedLike(real.source()), null, f.name());
            }
            boolean realSamples = r != null && r.samples();
            boolean fakeSamples = f.samples();
            boolean throughNetwork = needs.stream().anyMatch(in -> in.throughNetwork() && (in.real() ? realSamples : fakeSamples));
            FeatureNetwork net = network;
            if (throughNetwork && net == null) {
                net = FeatureNetworks.defaultFor(fakeSamples ? f.source() : null, realSamples ? r.source() : null);
            }
            if (net != null && (throughNetwork || !net.takesPixels())) {
                // Each metric needs something the network (or the rows as given) cannot give: refused together, by name.
                FeatureNetwork n = net;
                java.util.function.Predicate<Input> unmet = in -> in == Input.FAKE_LOGITS && !n.givesLogits()
                        || in.throughNetwork() && in != Input.FAKE_LOGITS && !n.givesFeatures()
                        || (in == Input.REAL_PIXELS || in == Input.FAKE_PIXELS) && !n.takesPixels();
                String refused = names(ms, unmet);
                if (!refused.isEmpty()) {
                    String what = n.takesPixels() ? "samples for " + n.name() : n.givesLogits() ? "class logits" : "features";
                    // Say what the refused metrics need: the samples themselves, class logits, or either.
                    boolean pixels = ms.stream().filter(m -> m.inputs().stream().anyMatch(unmet))
                            .allMatch(m -> m.inputs().contains(Input.REAL_PIXELS) || m.inputs().contains(Input.FAKE_PIXELS));
                    throw new InvalidInputException("the inputs are " + what + ", but " + refused + " need"
                            + (refused.contains(",") ? "" : "s") + " " + (n.takesPixels() ? "class logits, which " + n.name()
                            + " does not give (name its logits output)" : pixels ? "the samples themselves (pixels)"
                            : "samples (class logits or the samples themselves)"));
                }
            }
            if (needs.contains(Input.DISCRIMINATOR) && discriminator == null) {
                throw new InvalidInputException(names(ms, in -> in == Input.DISCRIMINATOR) + " needs a discriminator (x -> p_real)");
            }
            if (!needs.contains(Input.DISCRIMINATOR) && discriminator != null) {
                throw new InvalidInputException("a discriminator was given but no metric asked for uses it; add ratio");
            }
            // A network that resizes every image takes sides of different sizes (and gray with colour); the metrics on the
            // samples themselves do not.
            boolean pixelsCompared = needs.contains(Input.REAL_PIXELS) && needs.contains(Input.FAKE_PIXELS);
            if (net != null && net.resizes() && throughNetwork) {
                // Plain rows have no image shape to resize: refused here, before the other side is read.
                for (Side s : new Side[] {r, f}) {
                    if (s != null && s.samples() && s.source().flat()) {
                        throw new InvalidInputException(s.source().describe() + " holds plain rows of " + s.source().width()
                                + " values, not images, so they cannot be resized for " + net.name() + ": save them as images "
                                + "(an n x h x w .npy, a folder or an IDX file)");
                    }
                }
            }
            if (r != null && r.samples() && f.samples() && (net == null || !net.resizes() || pixelsCompared)) {
                requireSameShape(r.source(), f.source(), net);
            }
            if (r != null && r.computed() != null && f.computed() != null
                    && !Objects.equals(r.computed().featureTag(), f.computed().featureTag())) {
                throw new InvalidInputException("the real side's features are " + r.computed().featureTag() + " but the generated "
                        + "side's are " + f.computed().featureTag() + "; both sides must come from the same network");
            }
            long realRows = r == null ? -1 : r.samples() ? limited(r.source().rowCount()) : r.computed() != null
                    ? limited(r.computed().stats().count()) : -1;
            long fakeRows = f.samples() ? limited(f.source().rowCount()) : f.computed() != null
                    ? limited(f.computed().stats().count()) : -1;
            for (Metric m : ms) {
                m.requireRows(realRows, fakeRows);
            }
            return new Evaluation(this, r, f, throughNetwork ? net : network, List.copyOf(ms), needs);
        }

        private long limited(long known) {
            return limit == null || known < 0 ? known : Math.min(known, limit);
        }

        /** Runs the checked request. */
        public EvaluationReport run() {
            return build().run();
        }
    }

    private static String names(List<Metric> ms, java.util.function.Predicate<Input> which) {
        List<String> out = new ArrayList<>();
        for (Metric m : ms) {
            if (m.inputs().stream().anyMatch(which) && !out.contains(m.name())) {
                out.add(m.name());
            }
        }
        return String.join(", ", out);
    }

    private static String describe(Input in) {
        return switch (in) {
            case REAL_FEATURES, FAKE_FEATURES -> "feature rows";
            case FAKE_LOGITS -> "class logits of the samples";
            case REAL_PIXELS, FAKE_PIXELS -> "samples themselves";
            default -> in.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private static void requireSameShape(SampleSource r, SampleSource f, FeatureNetwork net) {
        long rl = (long) r.channels() * r.height() * r.width();
        long fl = (long) f.channels() * f.height() * f.width();
        if (net != null && !net.takesPixels()) {
            if (rl != fl) {
                throw new InvalidInputException("the real side has " + rl + " features a row but the generated side has " + fl
                        + "; both sides must come from the same feature network");
            }
            return;
        }
        if (r.channels() != f.channels() || r.height() != f.height() || r.width() != f.width()) {
            boolean colorOnly = r.height() == f.height() && r.width() == f.width();
            SampleSource colour = r.channels() == 3 ? r : f;
            throw new InvalidInputException("the real side is " + shape(r) + " but the generated side is " + shape(f)
                    + (!colorOnly ? "; both sides must have the same image size, or use a network that resizes them"
                    : colour.imageFolder() ? "; one side is read in color, so read image folders as grayscale (--gray)"
                    : "; " + colour.describe() + " holds colour images of its own (reading folders as gray does not change "
                    + "it): compare it with colour images, or use a network that resizes (--network inception)"));
        }
    }

    private static String shape(SampleSource s) {
        return s.channels() + "x" + s.height() + "x" + s.width();
    }

    /** The metrics this evaluation computes, in order. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** What the metrics need, together. */
    public Set<Input> needs() {
        return java.util.Collections.unmodifiableSet(needs);
    }

    /**
     * Reads each side once and computes every metric.
     *
     * @throws InvalidInputException naming the side (its path) when a sample is not a pixel in [0, 1] or a metric's
     *                               inputs cannot give a value
     */
    public EvaluationReport run() {
        long t0 = System.nanoTime();
        long fallbacksBefore = OnnxModel.cpuFallbacks();
        Map<String, Double> timings = new LinkedHashMap<>();
        List<String> allWarnings = new ArrayList<>();
        Consumer<String> warn = w -> {
            allWarnings.add(w);
            warnings.accept(w);
        };
        SampleSource geometry = fake.samples() ? fake.source() : real != null && real.samples() ? real.source() : null;
        boolean networkRuns = network != null && geometry != null && needs.stream().anyMatch(in -> in.throughNetwork()
                && (in.real() ? real != null && real.samples() : fake.samples()));
        Pass realPass;
        Pass fakePass;
        String featureTag = null;
        String logitsTag = null;
        String protocol = null;
        try (FeatureNetwork.Session session = networkRuns ? timed(timings, "load", () -> geometry.named(() -> network.open(
                geometry.channels(), geometry.height(), geometry.width(), device, needs.contains(Input.FAKE_LOGITS) || detailLogits()))) : null) {
            if (session != null) {
                session.warnings().forEach(warn);
                featureTag = session.featureTag();
                logitsTag = needs.contains(Input.FAKE_LOGITS) ? session.logitsTag() : null;
                protocol = session.protocol();
            }
            fakePass = pass(fake, session, false, timings);
            SampleSource r = real == null || !real.samples() ? null : real.source();
            boolean otherShape = session != null && r != null && (r.channels() != geometry.channels()
                    || r.height() != geometry.height() || r.width() != geometry.width());
            if (otherShape) {
                // Sides of different image sizes, for a network that resizes: a session for each size, on the same
                // loaded network where the session can share it.
                try (FeatureNetwork.Session own = timed(timings, "load", () -> r.named(() -> session.forImages(r.channels(),
                        r.height(), r.width(), detailLogits()).orElseGet(() -> network.open(r.channels(), r.height(),
                        r.width(), device, detailLogits()))))) {
                    realPass = pass(real, own, true, timings);
                }
            } else {
                realPass = real == null ? null : pass(real, session, true, timings);
            }
        }
        MetricInputs.Builder in = MetricInputs.builder();
        for (Pass p : new Pass[] {realPass, fakePass}) {
            if (p != null) {
                in.statistics(p.real, p.stats).features(p.real, p.features).pixels(p.real, p.pixels);
                if (!p.real) {
                    in.fakeLogits(p.logits);
                }
            }
        }
        if (discriminator != null) {
            in.discriminator(discriminator);
        }
        // A side computed on a cluster says what its network and protocol were.
        ClusterStatistics.Result computed = fake.computed() != null ? fake.computed() : real != null ? real.computed() : null;
        if (computed != null && !networkRuns) {
            featureTag = computed.featureTag();
            logitsTag = computed.logitsTag();
            protocol = computed.protocol();
        } else if (computed != null && !Objects.equals(featureTag, computed.featureTag())) {
            throw new InvalidInputException("the features computed here are " + featureTag + " but the cluster's are "
                    + computed.featureTag() + "; both sides must come from the same network");
        }
        // The cluster's jobs are part of this evaluation's time (their own step in the timings), and what they found is
        // in its warnings: the network's (once, though both sides opened it) and the images left out.
        double clusterSeconds = 0;
        for (Side side : new Side[] {real, fake}) {
            if (side != null && side.computed() != null) {
                ClusterStatistics.Result c = side.computed();
                double t = c.time().toNanos() / 1e9;
                timings.merge("cluster (" + side.label() + ")", t, Double::sum);
                clusterSeconds += t;
                c.warnings().stream().filter(w -> !allWarnings.contains(w)).forEach(warn);
                c.skippedWarning().ifPresent(w -> warn.accept(side.name() + ": " + w));
            }
        }
        // What the non-pixel scores were computed on: the network, or statistics given as they are.
        String networkName = networkRuns ? network.name() : computed != null ? computed.network() : "stats";
        List<ReportedScore> scores = new ArrayList<>();
        SampleNeighbours[] neighbours = new SampleNeighbours[1];
        for (Metric m : metrics) {
            MetricInputs inputs = in.progress(progress.apply(m.name())).build();
            long t = System.nanoTime();
            Score s;
            if (sampleDetails && neighbours[0] == null && m instanceof PrecisionRecall pr) {
                // The neighbours come from PRDC's own distance passes: no extra pass for the report.
                PrecisionRecall.Outcome o = named(m, () -> pr.computeWithNeighbours(inputs.realFeatures(), inputs.fakeFeatures()));
                s = o.result();
                neighbours[0] = o.neighbours();
            } else {
                s = named(m, () -> m.compute(inputs));
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            timings.merge(m.name(), seconds, Double::sum);
            boolean onPixels = m.inputs().contains(Input.REAL_PIXELS) || m.inputs().contains(Input.FAKE_PIXELS);
            boolean onLogits = m.inputs().equals(EnumSet.of(Input.FAKE_LOGITS));
            String space = onPixels ? "pixels" : networkName;
            String tag = onPixels ? null : onLogits ? logitsTag : featureTag;
            scores.add(new ReportedScore(m.name(), s, new ReportedScore.Provenance(space, tag, onPixels ? "pixels in [0, 1]"
                    : protocol == null ? "statistics as given" : protocol, s.settings()), seconds));
            for (String w : s.warnings()) {
                warn.accept(m.name() + ": " + w);
            }
        }
        List<EvaluationReport.Input> inputs = new ArrayList<>();
        for (Pass p : new Pass[] {realPass, fakePass}) {
            if (p != null) {
                inputs.add(p.summary());
            }
        }
        String deviceUsed = !networkRuns || network instanceof GivenRows ? null
                : device != Device.CUDA_OR_CPU ? device.name().toLowerCase(Locale.ROOT)
                : OnnxModel.cpuFallbacks() > fallbacksBefore ? "cuda+cpu" : "cuda";
        boolean allOnPixels = scores.stream().allMatch(sc -> sc.provenance().space().equals("pixels"));
        SampleDetails details = sampleDetails ? timed(timings, "sample details", () -> details(realPass, fakePass, neighbours[0]))
                : null;
        return new EvaluationReport(EvaluationReport.currentToolVersion(), inputs, allOnPixels ? "pixels" : networkName, featureTag,
                logitsTag, protocol, deviceUsed, scores, allWarnings, timings, (System.nanoTime() - t0) / 1e9 + clusterSeconds,
                details);
    }

    /** Whether the network is asked for class logits of both sides for the report's class histogram. */
    private boolean detailLogits() {
        return sampleDetails && network != null && network.givesLogits();
    }

    /** The sample details from what the passes kept; {@code neighbours} is PRDC's when it was scored. */
    private SampleDetails details(Pass realPass, Pass fakePass, SampleNeighbours neighbours) {
        List<String> missing = new ArrayList<>();
        SampleImages realImages = realPass == null ? null : realPass.images;
        if (realImages == null) {
            missing.add("real pictures: " + (realPass == null ? "the real side was not read (no metric asked for compares with it)"
                    : realPass.source == null ? "the real side is statistics" : "the real rows are not gray or RGB images"));
        }
        if (fakePass.images == null) {
            missing.add("generated pictures: " + (fakePass.source == null ? "the generated side is statistics"
                    : "the generated rows are not gray or RGB images"));
        }
        SampleNeighbours nb = neighbours;
        if (nb == null && realPass != null && realPass.features != null && fakePass.features != null) {
            try {
                nb = PrecisionRecall.create().neighbours(realPass.features, fakePass.features);
            } catch (InvalidInputException e) {
                missing.add("nearest neighbours: " + e.getMessage());
            }
        } else if (nb == null) {
            missing.add("nearest neighbours: they need the feature rows of both sides, which "
                    + (realPass == null ? "a run without the real side" : "statistics or class logits") + " do not give");
        }
        ClassHistogram classes = null;
        if (fakePass.logits != null) {
            classes = new ClassHistogram(realPass == null || realPass.logits == null ? null : ClassHistogram.counts(realPass.logits),
                    ClassHistogram.counts(fakePass.logits));
        } else {
            missing.add("class histogram: " + (network == null || !network.givesLogits() ? "the network gives no class logits"
                    : "the generated side gave no class logits"));
        }
        return new SampleDetails(realImages, fakePass.images, nb, classes, missing);
    }

    /** What one side gave: statistics, feature rows, logits, pixels, as the metrics asked. */
    private static final class Pass {
        final boolean real;
        final String name;
        final SampleSource source;
        GaussianStats stats;
        FloatMatrix features;
        FloatMatrix logits;
        FloatMatrix pixels;
        /** The side's pictures, kept for sample details. */
        SampleImages images;
        long rows;
        /** Computed on a cluster from samples there. */
        boolean computed;
        final java.security.MessageDigest digest;
        String hashOf;

        Pass(boolean real, String name, SampleSource source) {
            this.real = real;
            this.name = name;
            this.source = source;
            try {
                this.digest = java.security.MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }

        void hash(FloatMatrix m) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * m.rows() * m.cols()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(m.data(), 0, m.rows() * m.cols());
            digest.update(b.array());
        }

        void hash(double[] values) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(values);
            digest.update(b.array());
        }

        EvaluationReport.Input summary() {
            return new EvaluationReport.Input(real ? "real" : "fake", name, source == null && !computed ? "statistics" : "samples",
                    source == null && !computed ? stats.count() : rows, java.util.HexFormat.of().formatHex(digest.digest()), hashOf);
        }
    }

    private Pass pass(Side side, FeatureNetwork.Session session, boolean isReal, Map<String, Double> timings) {
        Pass p = new Pass(isReal, side.name(), side.source());
        if (side.computed() != null) {
            ClusterStatistics.Result c = side.computed();
            p.stats = c.stats();
            p.rows = c.stats().count();
            p.computed = true;
            if (needs.contains(isReal ? Input.REAL_FEATURES : Input.FAKE_FEATURES)) {
                p.features = limited(c.features());
            }
            if (!isReal && needs.contains(Input.FAKE_LOGITS)) {
                p.logits = limited(c.logits());
            }
            if (limit != null && c.stats().count() > limit && needs.contains(isReal ? Input.REAL_STATISTICS : Input.FAKE_STATISTICS)) {
                throw new InvalidInputException(side.name() + ": a row limit of " + limit + " cannot apply to statistics the "
                        + "cluster computed from " + c.stats().count() + " images");
            }
            if (c.features() != null) {
                p.hash(c.features());
            }
            if (c.logits() != null) {
                p.hash(c.logits());
            }
            if (c.features() == null && c.logits() == null) {
                p.hash(c.stats().mean());
                p.hash(c.stats().covariance());
            }
            p.hashOf = c.features() == null && c.logits() == null ? "mean and covariance (float64)"
                    : (c.features() != null ? "features" : "") + (c.features() != null && c.logits() != null ? " and " : "")
                    + (c.logits() != null ? "logits" : "") + " (float32)";
            return p;
        }
        if (!side.samples()) {
            p.stats = side.stats();
            p.hash(side.stats().mean());
            p.hash(side.stats().covariance());
            p.hashOf = "mean and covariance (float64)";
            return p;
        }
        Input statsIn = isReal ? Input.REAL_STATISTICS : Input.FAKE_STATISTICS;
        Input rowsIn = isReal ? Input.REAL_FEATURES : Input.FAKE_FEATURES;
        Input pixelsIn = isReal ? Input.REAL_PIXELS : Input.FAKE_PIXELS;
        boolean wantStats = needs.contains(statsIn);
        boolean metricRows = needs.contains(rowsIn);
        boolean metricLogits = !isReal && needs.contains(Input.FAKE_LOGITS);
        // Sample details add rows and logits the metrics did not ask for; only what the metrics use is hashed.
        boolean wantRows = metricRows || sampleDetails && session != null && network.givesFeatures();
        boolean wantLogits = metricLogits || session != null && detailLogits();
        boolean wantPixels = needs.contains(pixelsIn);
        boolean wantFeatures = wantStats || wantRows;
        SampleSource src = side.source();
        boolean checkPixels = network == null || network.takesPixels() || wantPixels;
        SampleImages.Collector images = sampleDetails && checkPixels
                ? SampleImages.Collector.forGeometry(src.channels(), src.height(), src.width()) : null;
        long perRow = (long) src.channels() * src.height() * src.width();
        // Up to 1,000 rows and 64 MiB of pixels a batch, a multiple of 50 (an ONNX network's own batch) when it can be.
        long fits = Math.max(1, Math.min(1000, BATCH_BYTES / (4 * perRow)));
        int batch = (int) (fits >= 50 ? fits / 50 * 50 : fits);
        Progress bar = progress.apply((wantFeatures || !wantLogits ? "features" : "logits") + " (" + side.label() + ")");
        long total = src.rowCount() < 0 ? -1 : limit == null ? src.rowCount() : Math.min(src.rowCount(), limit);
        Iterator<FloatMatrix> batches;
        if (wantPixels) {
            // The pixels themselves are scored, so they are held whole (as the Parzen window and the discriminator need
            // them); with a limit only that many rows are decoded.
            FloatMatrix all = limit == null ? timed(timings, "read", src::read)
                    : timed(timings, "read", () -> firstRows(src, limit, batch));
            FloatMatrix x = all;
            total = x.rows();
            p.pixels = x;
            int b = batch;
            batches = new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < x.rows();
                }

                @Override
                public FloatMatrix next() {
                    int to = Math.min(x.rows(), next + b);
                    FloatMatrix m = x.rowRange(next, to);
                    next = to;
                    return m;
                }
            };
        } else {
            // Whatever sizes the source hands out, the network sees batches of exactly this size (the last one smaller):
            // its output can change in the last bits with the batch it runs in, and a score must not depend on how a
            // source chunks its rows.
            batches = rebatched(timed(timings, "read", () -> src.batches(batch)), batch);
        }
        GaussianStats.Accumulator acc = null;
        List<FloatMatrix> rowParts = wantRows ? new ArrayList<>() : null;
        List<FloatMatrix> logitParts = wantLogits ? new ArrayList<>() : null;
        boolean throughNetwork = session != null && (wantFeatures || wantLogits);
        boolean metricThrough = session != null && (wantStats || metricRows || metricLogits);
        long done = 0;
        while (limit == null || done < limit) {
            FloatMatrix x = timed(timings, "read", () -> batches.hasNext() ? batches.next() : null);
            if (x == null) {
                break;
            }
            if (limit != null && x.rows() > limit - done) {
                x = x.rowRange(0, (int) (limit - done));
            }
            // Features may hold any finite value (the metrics check them); pixels must be in [0, 1] before a network's
            // preprocessing or the Parzen window turns a bad one into a plausible wrong score.
            if (checkPixels) {
                UnitRange.require(x, done, src.describe(), OnnxFeatureExtractor.PIXELS_IN_UNIT_RANGE);
            }
            if (images != null) {
                images.add(x);
            }
            if (throughNetwork) {
                FloatMatrix xb = x;
                FeatureNetwork.Outputs out = timed(timings, "features", () -> session.run(xb, wantFeatures, wantLogits));
                if (wantFeatures) {
                    FloatMatrix f = out.features();
                    if (wantStats) {
                        if (acc == null) {
                            acc = named(src, () -> GaussianStats.accumulator(f.cols()));
                        }
                        GaussianStats.Accumulator a = acc;
                        named(src, () -> a.add(f));
                    }
                    if (wantRows) {
                        rowParts.add(f);
                    }
                    if (wantStats || metricRows) {
                        p.hash(f);
                    }
                }
                if (wantLogits) {
                    logitParts.add(out.logits());
                    if (metricLogits) {
                        p.hash(out.logits());
                    }
                }
            }
            if (!metricThrough && wantPixels) {
                p.hash(x);
            }
            done += x.rows();
            bar.update(done, total < 0 ? done : total);
        }
        p.rows = done;
        boolean metricFeatures = wantStats || metricRows;
        p.hashOf = metricThrough ? (metricFeatures ? "features" : "") + (metricFeatures && metricLogits ? " and " : "")
                + (metricLogits ? "logits" : "") + " (float32)" : "pixels (float32)";
        p.images = images == null ? null : images.build();
        if (wantStats) {
            GaussianStats.Accumulator a = acc;
            long n = done;
            p.stats = named(src, () -> {
                if (a == null || a.count() < 2) {
                    throw new InvalidInputException("features has " + n + (n == 1 ? " row" : " rows") + "; at least 2 are needed");
                }
                return a.build();
            });
        }
        if (wantRows) {
            p.features = concat(rowParts);
        }
        if (wantLogits) {
            p.logits = concat(logitParts);
        }
        return p;
    }

    /** The first {@link #limit} rows of {@code m} (null stays null). */
    private FloatMatrix limited(FloatMatrix m) {
        return m == null || limit == null || m.rows() <= limit ? m : m.rowRange(0, limit);
    }

    /** The first {@code limit} rows of {@code src}, read a batch at a time so that no more are decoded. */
    private static FloatMatrix firstRows(SampleSource src, int limit, int batch) {
        List<FloatMatrix> parts = new ArrayList<>();
        int rows = 0;
        Iterator<FloatMatrix> it = src.batches(batch);
        while (rows < limit && it.hasNext()) {
            FloatMatrix b = it.next();
            if (b.rows() > limit - rows) {
                b = b.rowRange(0, limit - rows);
            }
            parts.add(b);
            rows += b.rows();
        }
        if (parts.isEmpty()) {
            return new FloatMatrix(0, src.channels() * src.height() * src.width());
        }
        return concat(parts);
    }

    /** {@code parts} regrouped into matrices of {@code size} rows (the last one smaller). */
    private static Iterator<FloatMatrix> rebatched(Iterator<FloatMatrix> parts, int size) {
        return new Iterator<>() {
            private FloatMatrix pending;
            private int pendingFrom;

            @Override
            public boolean hasNext() {
                return pending != null && pendingFrom < pending.rows() || parts.hasNext();
            }

            @Override
            public FloatMatrix next() {
                List<FloatMatrix> pieces = new ArrayList<>();
                int rows = 0;
                while (rows < size && hasNext()) {
                    if (pending == null || pendingFrom == pending.rows()) {
                        pending = parts.next();
                        pendingFrom = 0;
                    }
                    int take = Math.min(size - rows, pending.rows() - pendingFrom);
                    pieces.add(pendingFrom == 0 && take == pending.rows() ? pending
                            : pending.rowRange(pendingFrom, pendingFrom + take));
                    pendingFrom += take;
                    rows += take;
                }
                if (pieces.isEmpty()) {
                    throw new java.util.NoSuchElementException();
                }
                return concat(pieces);
            }
        };
    }

    private static FloatMatrix concat(List<FloatMatrix> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int rows = 0;
        int cols = parts.isEmpty() ? 0 : parts.get(0).cols();
        for (FloatMatrix m : parts) {
            rows += m.rows();
        }
        FloatMatrix out = new FloatMatrix(rows, cols);
        int at = 0;
        for (FloatMatrix m : parts) {
            System.arraycopy(m.data(), 0, out.data(), at, m.rows() * cols);
            at += m.rows() * cols;
        }
        return out;
    }

    /** {@code step} with the side's name in front of any {@link InvalidInputException}. */
    private static <T> T named(SampleSource src, Supplier<T> step) {
        return src.named(step);
    }

    /**
     * {@code step} with a name in front of any {@link InvalidInputException}: the generated side's when the metric reads
     * only that side (the user knows the data by its path), else the metric's.
     */
    private <T> T named(Metric m, Supplier<T> step) {
        boolean fakeOnly = m.inputs().stream().noneMatch(Input::real) && !m.inputs().contains(Input.DISCRIMINATOR);
        if (fakeOnly && fake.samples()) {
            return fake.source().named(step);
        }
        try {
            return step.get();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.file().orElse(null), m.name() + ": " + e.reason(), e);
        }
    }

    private static <T> T timed(Map<String, Double> timings, String step, Supplier<T> work) {
        long t = System.nanoTime();
        try {
            return work.get();
        } finally {
            timings.merge(step, (System.nanoTime() - t) / 1e9, Double::sum);
        }
    }
}
