package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.FidInfinity;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.InceptionScore;
import dev.ganeval.metrics.KernelInceptionDistance;
import dev.ganeval.metrics.Metric;
import dev.ganeval.metrics.MetricInputs;
import dev.ganeval.metrics.Score;
import dev.ganeval.metrics.VendiScore;
import dev.ganeval.metrics.features.EmbeddedNetworks;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import dev.ganeval.core.onnx.Device;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {
    /** A source of fixed rows that counts how often it is read, whole or in batches. */
    static class Counted implements SampleSource {
        final FloatMatrix rows;
        final int c;
        final int h;
        final int w;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger passes = new AtomicInteger();
        final AtomicInteger largestBatch = new AtomicInteger();

        Counted(FloatMatrix rows, int c, int h, int w) {
            this.rows = rows;
            this.c = c;
            this.h = h;
            this.w = w;
        }

        @Override
        public FloatMatrix read() {
            reads.incrementAndGet();
            return rows;
        }

        @Override
        public long rowCount() {
            return rows.rows();
        }

        @Override
        public Iterator<FloatMatrix> batches(int batchSize) {
            passes.incrementAndGet();
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < rows.rows();
                }

                @Override
                public FloatMatrix next() {
                    int to = Math.min(rows.rows(), next + batchSize);
                    FloatMatrix b = rows.rowRange(next, to);
                    largestBatch.accumulateAndGet(b.rows(), Math::max);
                    next = to;
                    return b;
                }
            };
        }

        @Override
        public int channels() {
            return c;
        }

        @Override
        public int height() {
            return h;
        }

        @Override
        public int width() {
            return w;
        }

        @Override
        public String describe() {
            return "counted";
        }

        int touched() {
            return reads.get() + passes.get();
        }
    }

    static FloatMatrix pixels(long seed, int n, int d) {
        Random rnd = new Random(seed);
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = rnd.nextFloat();
        }
        return x;
    }

    static FloatMatrix gaussian(long seed, int n, int d, double shift) {
        Random rnd = new Random(seed);
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = (float) (rnd.nextGaussian() + shift);
        }
        return x;
    }

    static Counted digits(long seed, int n) {
        return new Counted(pixels(seed, n, 784), 1, 28, 28);
    }

    static Counted features(long seed, int n, int d, double shift) {
        return new Counted(gaussian(seed, n, d, shift), 1, 1, d);
    }

    /** What a cluster would hand back for these rows: their statistics, and the rows and logits when asked for. */
    static ClusterStatistics.Result computed(FloatMatrix rows, boolean keepRows, FloatMatrix logits, String tag) {
        return new ClusterStatistics.Result(GaussianStats.of(rows), rows.rows() + 2, 2, List.of("x/bad1.png: not an image",
                "x/bad2.png: not an image"), tag, 4, List.of("weights are not the published ones"), java.time.Duration.ofSeconds(3),
                "net", "proto", keepRows ? rows : null, logits, logits == null ? null : tag + "/logits");
    }

    @Test
    void sidesComputedOnAClusterScoreAsTheirRowsDo() {
        FloatMatrix r = gaussian(11, 400, 6, 0);
        FloatMatrix f = gaussian(12, 300, 6, 0.3);
        FloatMatrix logits = gaussian(13, 300, 10, 0);
        EvaluationReport here = Evaluation.of(new Counted(r, 1, 1, 6), new Counted(f, 1, 1, 6)).network(GivenRows.features())
                .metrics("fid", "kid", "prdc").metric("kid", Map.of("subset_size", 100)).seed(5).run();
        List<String> warned = new ArrayList<>();
        EvaluationReport there = Evaluation.builder().real(computed(r, true, null, "t"), "hdfs:///real")
                .fake(computed(f, true, logits, "t"), "hdfs:///fake").metrics("fid", "kid", "prdc", "is")
                .metric("kid", Map.of("subset_size", 100)).seed(5).warnings(warned::add).run();
        for (String m : new String[] {"fid", "kid", "prdc"}) {
            assertEquals(here.score(m).value(), there.score(m).value(), 1e-9 * Math.abs(here.score(m).value()), m);
        }
        double is = InceptionScore.create().compute(logits).value();
        assertEquals(is, there.score("is").value(), 1e-9 * is);
        assertEquals("net", there.network());
        assertEquals("t", there.featureTag());
        assertEquals("proto", there.protocol());
        assertEquals(List.of(400L, 300L), there.inputs().stream().map(EvaluationReport.Input::samples).toList());
        // The weights warning once for both sides; each side's left-out images named.
        assertEquals(1, warned.stream().filter(w -> w.equals("weights are not the published ones")).count(), warned.toString());
        assertTrue(warned.contains("hdfs:///fake: 2 of 302 images could not be used and are left out; "
                + "x/bad1.png: not an image; x/bad2.png: not an image"), warned.toString());
        assertTrue(there.seconds() >= 6, "the jobs' time counts: " + there.seconds());
        assertEquals(3.0, there.timings().get("cluster (real)"));
    }

    @Test
    void aComputedSideGivesOnlyWhatTheClusterWasAskedFor() {
        FloatMatrix r = gaussian(11, 200, 6, 0);
        FloatMatrix f = gaussian(12, 200, 6, 0.3);
        InvalidInputException noRows = assertThrows(InvalidInputException.class, () -> Evaluation.builder()
                .real(computed(r, false, null, "t"), "hdfs:///real").fake(computed(f, true, null, "t"), "hdfs:///fake")
                .metrics("kid").build());
        assertTrue(noRows.getMessage().contains("the real side (hdfs:///real) was computed on a cluster without the feature rows "
                + "that kid needs; ask the cluster for them"), noRows.getMessage());
        InvalidInputException noLogits = assertThrows(InvalidInputException.class, () -> Evaluation.builder()
                .fake(computed(f, true, null, "t"), "hdfs:///fake").metrics("is").build());
        assertTrue(noLogits.getMessage().contains("without the class logits of the samples that is needs"), noLogits.getMessage());
        InvalidInputException pixels = assertThrows(InvalidInputException.class, () -> Evaluation.builder()
                .real(computed(r, true, null, "t"), "hdfs:///real").fake(computed(f, true, null, "t"), "hdfs:///fake")
                .metrics("parzen").build());
        assertTrue(pixels.getMessage().contains("which stay there"), pixels.getMessage());
        InvalidInputException tags = assertThrows(InvalidInputException.class, () -> Evaluation.builder()
                .real(computed(r, false, null, "inception"), "a").fake(computed(f, false, null, "dinov2"), "b").metrics("fid").build());
        assertTrue(tags.getMessage().contains("the real side's features are inception but the generated side's are dinov2"),
                tags.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClusterStatistics.Result(GaussianStats.of(r), 200, 0, List.of(), "t",
                1, List.of(), java.time.Duration.ZERO, "net", "p", f.rowRange(0, 10), null, null), "rows must be the images counted");
    }

    @Test
    void requestsThatCannotBeSatisfiedAreRefusedBeforeAnySampleIsRead() {
        Counted real = digits(1, 300);
        Counted fake = digits(2, 300);
        Counted feats = features(3, 300, 8, 0);
        GaussianStats stats = GaussianStats.of(gaussian(4, 50, 8, 0));
        record Case(String expected, Evaluation.Builder request) {
        }
        List<Case> cases = List.of(
                new Case("the real side is missing: kid", Evaluation.builder().fake(fake).metrics("kid")),
                new Case("ratio needs a discriminator", Evaluation.of(real, fake).metrics("ratio")),
                new Case("unknown metric 'fidd'", Evaluation.of(real, fake).metrics("fidd")),
                new Case("kid has no setting 'subset'; its settings are", Evaluation.of(real, fake).metric("kid", Map.of("subset", 5))),
                new Case("which only fid and fd can use; kid needs the feature rows", Evaluation.builder().real(stats, "s.npz").fake(fake)
                        .metrics("fid", "kid")),
                new Case("the inputs are features, but is, parzen need samples", Evaluation.of(feats, features(5, 300, 8, 0))
                        .network(GivenRows.features()).metrics("fid", "is", "parzen")),
                new Case("the inputs are class logits, but fid needs samples", Evaluation.builder().fake(feats)
                        .network(GivenRows.logits()).metrics("is", "fid").real(feats)),
                new Case("KID draws subsets of 1000 samples from each side, but got 300 real and 300 fake",
                        Evaluation.of(real, fake).metrics("kid")),
                new Case("the real side is 1x28x28 but the generated side is 1x1x8", Evaluation.of(real, feats).metrics("fid")),
                new Case("no metric asked for", Evaluation.of(real, fake)),
                new Case("counted holds plain rows of 8 values, not images, so they cannot be resized for inception-v3",
                        Evaluation.of(feats, fake).network(InceptionNetwork.of(
                                dev.ganeval.metrics.features.InceptionProtocol.PYTORCH_FID)).metrics("fid")),
                new Case("a discriminator was given but no metric asked for uses it", Evaluation.of(real, fake).metrics("fid")
                        .discriminator(x -> new float[x.rows()])));
        for (Case c : cases) {
            InvalidInputException e = assertThrows(InvalidInputException.class, c.request()::build, c.expected());
            assertTrue(e.getMessage().contains(c.expected()), e.getMessage());
        }
        assertEquals(0, real.touched() + fake.touched() + feats.touched(), "no sample was read for a refused request");
    }

    @Test
    void eachSideIsReadOnceAndFeaturesAndLogitsComeFromTheSameForwardPass() {
        Counted real = digits(11, 1200);
        Counted fake = digits(12, 1100);
        EvaluationReport r = Evaluation.of(real, fake).metrics("fid", "kid", "is", "prdc", "wasserstein").run();
        assertEquals(1, real.touched());
        assertEquals(1, fake.touched());
        // The same numbers as the metric classes on the whole feature matrices.
        try (OnnxFeatureExtractor net = EmbeddedNetworks.mnist("features", Device.CPU);
             OnnxFeatureExtractor logits = EmbeddedNetworks.mnist("logits", Device.CPU)) {
            FloatMatrix fr = net.extract(real.rows);
            FloatMatrix ff = net.extract(fake.rows);
            double fid = FrechetDistance.between(fr, ff).value();
            assertEquals(fid, r.score("fid").value(), 1e-9 * fid);
            assertEquals(KernelInceptionDistance.create().compute(fr, ff).value(), r.score("kid").value(), 1e-12);
            assertEquals(InceptionScore.create().compute(logits.extract(fake.rows)).value(), r.score("is").value(), 1e-12);
        }
        assertEquals("FID[mnist-mlp]", r.score("fid").label());
        assertEquals("mnist-mlp", r.network());
        assertTrue(r.featureTag().contains("/features/pytorch-fid-bilinear-28"), r.featureTag());
        assertTrue(r.logitsTag().contains("/logits/"), r.logitsTag());
        assertEquals(List.of(1200L, 1100L), r.inputs().stream().map(EvaluationReport.Input::samples).toList());
        assertEquals("cpu", r.device());
    }

    /** The JSON without its timings, which differ from run to run. */
    private static String untimed(EvaluationReport r) {
        String json = ReportWriter.json(r);
        return json.substring(0, json.indexOf("\"timings\"")).replaceAll("\"seconds\": [0-9.E-]+", "");
    }

    @Test
    void sampleDetailsChangeNoScoreNorHashAndComeFromTheSamePass() {
        Counted real = digits(31, 400);
        Counted fake = digits(32, 300);
        EvaluationReport plain = Evaluation.of(digits(31, 400), digits(32, 300)).metrics("fid", "is", "prdc").run();
        EvaluationReport r = Evaluation.of(real, fake).metrics("fid", "is", "prdc").sampleDetails().run();
        assertEquals(untimed(plain), untimed(r));
        assertEquals(null, plain.sampleDetails());
        assertEquals(1, real.touched());
        assertEquals(1, fake.touched());
        SampleDetails d = r.sampleDetails();
        assertEquals(List.of(), d.missing());
        // Pictures: every row, 8-bit.
        assertEquals(400, d.realImages().rows());
        assertEquals(300, d.fakeImages().rows());
        FloatMatrix back = d.fakeImages().rows(7, 299);
        for (int p = 0; p < 784; p++) {
            assertEquals(fake.rows.get(7, p), back.get(0, p), 0.5 / 255 + 1e-6);
            assertEquals(fake.rows.get(299, p), back.get(1, p), 0.5 / 255 + 1e-6);
        }
        try (OnnxFeatureExtractor net = EmbeddedNetworks.mnist("features", Device.CPU);
             OnnxFeatureExtractor logits = EmbeddedNetworks.mnist("logits", Device.CPU)) {
            // Classes: the arg-max of the network's logits on each side.
            assertArrayEquals(ClassHistogram.counts(logits.extract(real.rows)), d.classes().real());
            assertArrayEquals(ClassHistogram.counts(logits.extract(fake.rows)), d.classes().fake());
            assertEquals(300, java.util.Arrays.stream(d.classes().fake()).sum());
            // Neighbours: PRDC's, as the search on the features finds them.
            dev.ganeval.metrics.SampleNeighbours nb = dev.ganeval.metrics.PrecisionRecall.create()
                    .neighbours(net.extract(real.rows), net.extract(fake.rows));
            assertArrayEquals(nb.nearestReal(), d.neighbours().nearestReal());
            assertArrayEquals(nb.distance(), d.neighbours().distance(), 1e-4f);
        }
        // Without prdc the neighbours come from a search of their own: the same ones.
        EvaluationReport fidOnly = Evaluation.of(digits(31, 400), digits(32, 300)).metrics("fid").sampleDetails().run();
        assertArrayEquals(d.neighbours().nearestReal(), fidOnly.sampleDetails().neighbours().nearestReal());
        assertArrayEquals(d.neighbours().distance(), fidOnly.sampleDetails().neighbours().distance());
        assertArrayEquals(d.neighbours().insideRealBall(), fidOnly.sampleDetails().neighbours().insideRealBall());
        assertEquals(untimed(Evaluation.of(digits(31, 400), digits(32, 300)).metrics("fid").run()), untimed(fidOnly));
    }

    @Test
    void sampleDetailsSayWhatTheInputsCannotGive() {
        // Features given: no pictures, no classes, but neighbours.
        EvaluationReport r = Evaluation.of(features(41, 50, 8, 0), features(42, 40, 8, 0.2))
                .network(FeatureNetworks.named(GivenRows.FEATURES)).metrics("fid").sampleDetails().run();
        SampleDetails d = r.sampleDetails();
        assertEquals(null, d.realImages());
        assertEquals(null, d.classes());
        assertEquals(40, d.neighbours().fakeRows());
        assertEquals(3, d.missing().size(), d.missing().toString());
        assertTrue(d.missing().get(2).startsWith("class histogram: the network gives no class logits"), d.missing().toString());
    }

    /** A metric of the user's own, scored like the registered ones; it records what it was given. */
    static final class Probe implements Metric {
        final Set<Input> inputs;
        MetricInputs seen;

        Probe(Set<Input> inputs) {
            this.inputs = inputs;
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public Set<Input> inputs() {
            return inputs;
        }

        @Override
        public Score compute(MetricInputs in) {
            seen = in;
            return new FrechetDistanceScore(in.has(Input.FAKE_STATISTICS) ? in.fakeStatistics().count() : -1);
        }
    }

    record FrechetDistanceScore(double value) implements Score {
        @Override
        public String metric() {
            return "probe";
        }

        @Override
        public Map<String, Object> settings() {
            return Map.of();
        }
    }

    @Test
    void fidAloneKeepsNoFeatureRowsAndStreamsInBoundedBatches() {
        Counted real = features(21, 20_000, 16, 0);
        Counted fake = features(22, 20_000, 16, 0.1);
        Probe probe = new Probe(EnumSet.of(Metric.Input.REAL_STATISTICS, Metric.Input.FAKE_STATISTICS));
        EvaluationReport r = Evaluation.of(real, fake).network(GivenRows.features()).metrics("fid").metric(probe).run();
        assertFalse(probe.seen.has(Metric.Input.REAL_FEATURES) || probe.seen.has(Metric.Input.FAKE_FEATURES),
                "statistics only: no feature rows are kept");
        assertEquals(0, real.reads.get() + fake.reads.get(), "streamed, never read whole");
        assertTrue(real.largestBatch.get() <= 1000, "batches of at most 1000 rows: " + real.largestBatch.get());
        double whole = FrechetDistance.between(real.rows, fake.rows).value();
        assertEquals(whole, r.score("fid").value(), 1e-10 * whole);
        assertEquals(20_000.0, r.score("probe").value());
    }

    @Property(tries = 30)
    void statisticsOfAnyPartitionMergeToThoseOfTheWhole(@ForAll @IntRange(min = 1, max = 8) int parts,
                                                        @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        int n = 40 + rnd.nextInt(400);
        int d = 1 + rnd.nextInt(12);
        FloatMatrix x = gaussian(seed, n, d, 100 * rnd.nextGaussian());
        int[] cuts = rnd.ints(parts - 1, 2, n - 2).sorted().distinct().toArray();
        List<GaussianStats> pieces = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            if (cut - from >= 2) {
                pieces.add(GaussianStats.of(x.rowRange(from, cut)));
                from = cut;
            }
        }
        pieces.add(GaussianStats.of(x.rowRange(from, n)));
        GaussianStats merged = pieces.get(0);
        for (int i = 1; i < pieces.size(); i++) {
            merged = merged.merge(pieces.get(i));
        }
        GaussianStats whole = GaussianStats.of(x);
        assertEquals(n, merged.count());
        double scale = 0;
        for (double v : whole.covariance()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double[] wm = whole.mean();
        double[] mm = merged.mean();
        for (int j = 0; j < d; j++) {
            assertEquals(wm[j], mm[j], 1e-12 * (1 + Math.abs(wm[j])));
        }
        assertArrayEquals(whole.covariance(), merged.covariance(), 1e-12 * scale);
    }

    @Property(tries = 20)
    void streamedStatisticsHaveTheSameBitsHoweverTheRowsAreBatched(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        int d = 1 + rnd.nextInt(1200);
        int chunk = new dev.ganeval.core.linalg.CovarianceAccumulator(d).chunkRows();
        int n = 2 + rnd.nextInt(3 * chunk);
        FloatMatrix x = gaussian(seed, n, d, 10 * rnd.nextGaussian());
        GaussianStats.Accumulator acc = GaussianStats.accumulator(d);
        int from = 0;
        while (from < n) {
            int to = Math.min(n, from + 1 + rnd.nextInt(rnd.nextBoolean() ? 50 : 2 * chunk));
            acc.add(x.rowRange(from, to));
            from = to;
        }
        GaussianStats whole = GaussianStats.of(x);
        GaussianStats streamed = acc.build();
        assertArrayEquals(whole.mean(), streamed.mean(), 0.0);
        assertArrayEquals(whole.covariance(), streamed.covariance(), 0.0);
    }

    @Test
    void theTwoMetricsAddedThroughTheRegistryMatchTheirClasses() {
        FloatMatrix real = gaussian(31, 900, 6, 0);
        FloatMatrix fake = gaussian(32, 800, 6, 0.3);
        EvaluationReport r = Evaluation.of(new Counted(real, 1, 1, 6), new Counted(fake, 1, 1, 6)).network(GivenRows.features())
                .metric("fid-inf", Map.of("points", 5, "min_samples", 200)).metrics("vendi").seed(7).run();
        double inf = FidInfinity.builder().points(5).minSamples(200).seed(7).build().compute(real, fake).value();
        assertEquals(inf, r.score("fid-inf").value(), 1e-9 * Math.abs(inf) + 1e-12);
        assertEquals(VendiScore.create().compute(fake).value(), r.score("vendi").value(), 1e-12);
        assertEquals(5, ((List<?>) r.score("fid-inf").details().get("points")).size());
        assertEquals("FID∞[features]", r.score("fid-inf").label());
    }

    @Test
    void everyRegisteredMetricBuildsWithItsDefaultsAndNamesItsSettings() {
        for (Metrics.Entry e : Metrics.entries()) {
            Metric m = Metrics.create(e.name(), Map.of(), 0);
            assertEquals(e.name(), m.name(), "the registry name is the metric's own");
            assertFalse(m.inputs().isEmpty(), e.name());
            InvalidInputException bad = assertThrows(InvalidInputException.class,
                    () -> Metrics.create(e.name(), Map.of("no_such_setting", 1), 0));
            assertTrue(bad.getMessage().startsWith(e.name() + " has no setting 'no_such_setting'"), bad.getMessage());
        }
        assertEquals(List.of("kid", "wasserstein", "fid-inf", "c2st", "wgan"), Metrics.takingSetting("seed"));
        assertThrows(InvalidInputException.class, () -> Metrics.create("kid", Map.of("subset_size", "many"), 0));
    }

    @Test
    void theThreadCountChangesNothingButSpeed() {
        try {
            double[] values = new double[2];
            for (int t = 1; t <= 2; t++) {
                EvaluationReport r = Evaluation.of(features(61, 1500, 40, 0), features(62, 1200, 40, 0.2))
                        .network(GivenRows.features()).metrics("fid", "kid", "prdc").threads(t).run();
                values[t - 1] = r.score("fid").value() + r.score("kid").value() + r.score("prdc").value();
                assertEquals(t, dev.ganeval.core.linalg.ComputeThreads.get());
            }
            assertEquals(values[0], values[1], 0.0);
        } finally {
            dev.ganeval.core.linalg.ComputeThreads.reset();
        }
    }

    @Test
    void aBadPixelIsNamedByItsSourceRowAndColumn() {
        FloatMatrix x = pixels(41, 600, 784);
        x.data()[523 * 784 + 17] = 1.5f;
        Counted bad = new Counted(x, 1, 28, 28) {
            @Override
            public String describe() {
                return "bad.npy";
            }
        };
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Evaluation.of(digits(42, 600), bad).metrics("fid").run());
        assertTrue(e.getMessage().startsWith("bad.npy: value 1.5 at row 523, column 17 is outside [0, 1]"), e.getMessage());
    }
}
