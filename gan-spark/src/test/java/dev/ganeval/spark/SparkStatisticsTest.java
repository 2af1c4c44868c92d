package dev.ganeval.spark;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.InceptionNetwork;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import dev.ganeval.metrics.evaluation.FeatureNetworks;
import dev.ganeval.metrics.features.InceptionProtocol;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.TaskKilled;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkStatisticsTest {
    @TempDir
    static Path tmp;
    static Path digits;
    static GaussianStats single;

    @BeforeAll
    static void images() {
        digits = LocalSpark.images(tmp.resolve("digits"), 300, 28, false, 1);
        single = LocalSpark.singleMachine(digits, ImageFolder.Color.GRAY, FeatureNetworks.named("mnist-mlp"));
    }

    @Test
    void statisticsEqualOneMachinesToRounding() {
        for (int partitions : new int[] {0, 1, 7}) {
            ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                    LocalSpark.request(digits, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), partitions));
            assertEquals(300, r.images());
            assertEquals(0, r.skipped());
            assertEquals(300, r.stats().count());
            assertTrue(LocalSpark.relative(r.stats().mean(), single.mean()) < 1e-12, "mean");
            assertTrue(LocalSpark.relative(r.stats().covariance(), single.covariance()) < 1e-12, "covariance");
            assertTrue(r.featureTag().contains("mnist-mlp"), r.featureTag());
            if (partitions > 0) {
                assertEquals(partitions, r.partitions());
            } else {
                // Two partitions per task slot (local[2]) for 300 images, not Spark's ~30 files each.
                assertTrue(r.partitions() >= 4 && r.partitions() <= 5, "partitions: " + r.partitions());
            }
        }
    }

    @Test
    void aLocalMastersCoresAreItsTaskSlots() {
        assertEquals(1, SparkStatistics.localCores("local"));
        assertEquals(3, SparkStatistics.localCores("local[3]"));
        assertEquals(2, SparkStatistics.localCores("local[2,4]"));
        assertEquals(Runtime.getRuntime().availableProcessors(), SparkStatistics.localCores("local[*]"));
        assertEquals(0, SparkStatistics.localCores("spark://127.0.0.1:7077"));
        assertEquals(0, SparkStatistics.localCores("yarn"));
    }

    @Test
    void fidFromSparkStatisticsMatchesOneMachines() throws IOException {
        Path a = LocalSpark.mnist(tmp.resolve("mnist-a"), 0, 600);
        Path b = LocalSpark.mnist(tmp.resolve("mnist-b"), 600, 600);
        GaussianStats oneA = LocalSpark.singleMachine(a, ImageFolder.Color.GRAY, FeatureNetworks.named("mnist-mlp"));
        GaussianStats oneB = LocalSpark.singleMachine(b, ImageFolder.Color.GRAY, FeatureNetworks.named("mnist-mlp"));
        ClusterStatistics.Result sa = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(a, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 5));
        ClusterStatistics.Result sb = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(b, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 3));
        double spark = FrechetDistance.between(sa.stats(), sb.stats()).value();
        double one = FrechetDistance.between(oneA, oneB).value();
        assertTrue(one > 1e-3, "the two sets differ: " + one);
        // FID's matrix square root magnifies rounding where a covariance has eigenvalues near 0 (mnist-mlp has ReLU
        // features that are almost never on): then one machine's own FID moves as much when the rows come in another
        // order. The bar is 1e-10 relative, or what reordering does on one machine if that is more.
        Path reversed = Files.createDirectories(tmp.resolve("mnist-a-reversed"));
        try (var files = Files.list(a)) {
            for (Path f : files.toList()) {
                int k = Integer.parseInt(f.getFileName().toString().substring(5, 10));
                Files.copy(f, reversed.resolve(String.format("r%05d.png", 599 - k)));
            }
        }
        GaussianStats oneAReordered = LocalSpark.singleMachine(reversed, ImageFolder.Color.GRAY, FeatureNetworks.named("mnist-mlp"));
        double reorder = Math.abs(FrechetDistance.between(oneAReordered, oneB).value() - one);
        assertTrue(Math.abs(spark - one) <= Math.max(1e-10 * one, 4 * reorder),
                spark + " vs " + one + "; one machine, the rows reversed: " + reorder);
    }

    @Test
    void rowsAndLogitsComeBackInPathOrderWithoutTheUnusableImages(@TempDir Path dir) throws IOException {
        Path mixed = LocalSpark.images(dir.resolve("mixed"), 120, 28, false, 5);
        Files.writeString(mixed.resolve("img00060-text.png"), "not a PNG");
        ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(mixed, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 7).withRows(true, true, 200));
        assertEquals(1, r.skipped());
        Files.delete(mixed.resolve("img00060-text.png"));
        dev.ganeval.core.linalg.FloatMatrix pixels = dev.ganeval.core.data.SampleSource.parse(mixed.toString(),
                ImageFolder.Color.GRAY).read();
        dev.ganeval.metrics.evaluation.FeatureNetwork.Outputs expected;
        try (var session = FeatureNetworks.named("mnist-mlp").open(1, 28, 28, dev.ganeval.core.onnx.Device.CPU, true)) {
            expected = session.run(pixels, true, true);
            assertEquals(session.logitsTag(), r.logitsTag());
            assertEquals(session.protocol(), r.protocol());
        }
        assertEquals(120, r.features().rows());
        assertEquals(120, r.logits().rows());
        assertEquals("mnist-mlp", r.network());
        for (int i = 0; i < 120; i++) {
            for (int j = 0; j < r.features().cols(); j++) {
                assertEquals(expected.features().get(i, j), r.features().get(i, j),
                        1e-6f * (1 + Math.abs(expected.features().get(i, j))), "row " + i);
            }
            for (int j = 0; j < r.logits().cols(); j++) {
                assertEquals(expected.logits().get(i, j), r.logits().get(i, j), 1e-6f * (1 + Math.abs(expected.logits().get(i, j))));
            }
        }
        // Without rows asked for, none come back.
        ClusterStatistics.Result plain = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(mixed, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 2));
        assertEquals(null, plain.features());
        assertEquals(null, plain.logits());
    }

    @Test
    void moreRowsThanTheDriverTakesAreRefusedBeforeAnyImageIsRead() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(digits, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 0).withRows(true, false, 100)));
        assertTrue(e.getMessage().contains("300 images, but at most 100 may bring their feature rows to the driver"),
                e.getMessage());
    }

    @Test
    void aFirstImageWithASpaceInItsNameIsRead(@TempDir Path dir) throws IOException {
        Path images = LocalSpark.images(dir.resolve("spaced"), 12, 28, false, 6);
        Files.move(images.resolve("img00000.png"), images.resolve("a first (1).png"));
        ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(images, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 2));
        assertEquals(12, r.stats().count());
        assertEquals(0, r.skipped());
    }

    @Test
    void undecodableAndOtherSizedImagesAreCountedNamedAndLeftOut(@TempDir Path dir) throws IOException {
        Path good = LocalSpark.images(dir.resolve("good"), 60, 28, false, 3);
        Path mixed = LocalSpark.images(dir.resolve("mixed"), 60, 28, false, 3);
        byte[] png = Files.readAllBytes(good.resolve("img00001.png"));
        Files.write(mixed.resolve("img00030-truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(mixed.resolve("img00040-text.jpg"), "not a JPEG");
        LocalSpark.writeImage(mixed.resolve("img00050-big.png"), 32, 28, false, new Random(4));
        ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(mixed, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 4));
        assertEquals(63, r.images());
        assertEquals(3, r.skipped());
        assertEquals(3, r.firstSkipped().size());
        assertTrue(r.firstSkipped().get(0).contains("img00030-truncated.png: "), r.firstSkipped().toString());
        assertTrue(r.firstSkipped().get(1).contains("img00040-text.jpg: "), r.firstSkipped().toString());
        assertTrue(r.firstSkipped().get(2).contains("img00050-big.png: image is 32x28 but img00000.png is 28x28"),
                r.firstSkipped().toString());
        GaussianStats goodOnly = LocalSpark.singleMachine(good, ImageFolder.Color.GRAY, FeatureNetworks.named("mnist-mlp"));
        assertEquals(60, r.stats().count());
        assertTrue(LocalSpark.relative(r.stats().covariance(), goodOnly.covariance()) < 1e-12);
    }

    @Test
    void onlyTheFolderItselfIsReadAsOnOneMachine(@TempDir Path dir) throws IOException {
        Path top = LocalSpark.images(dir.resolve("top"), 30, 28, false, 8);
        LocalSpark.images(top.resolve("inner"), 10, 28, false, 9);
        LocalSpark.images(top.resolve("label=3"), 10, 28, false, 10);  // a Spark partition folder's name
        ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(top, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 0));
        assertEquals(30, r.images());
        assertEquals(30, r.stats().count());
        assertEquals("hdfs://h/a/*.png", SparkStatistics.imagesIn("hdfs://h/a/*.png"));
        assertEquals("/a/b/x.PNG", SparkStatistics.imagesIn("/a/b/x.PNG"));
        assertEquals("s3a://b/shard-7/" + SparkStatistics.IMAGE_GLOB, SparkStatistics.imagesIn("s3a://b/shard-7/"));
    }

    @Test
    void aFolderWithoutImagesOrWithAnUndecodableFirstImageIsRefused(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty").resolve("notes.txt"), "no images");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(dir.resolve("empty"), ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 0)));
        assertTrue(e.getMessage().contains("no images"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(dir.resolve("missing"), ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 0)));
        assertTrue(e.getMessage().contains("missing: cannot be read by Spark") && e.getMessage().contains("does not exist"),
                e.getMessage());
        Path bad = LocalSpark.images(dir.resolve("bad"), 5, 28, false, 5);
        Files.writeString(bad.resolve("a.png"), "not a PNG");
        e = assertThrows(InvalidInputException.class, () -> SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(bad, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 0)));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("first image"), e.getMessage());
        Path one = LocalSpark.images(dir.resolve("one"), 1, 28, false, 6);
        e = assertThrows(InvalidInputException.class, () -> SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(one, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 0)));
        assertTrue(e.getMessage().contains("at least 2 images, 1 of 1"), e.getMessage());
    }

    @Test
    void aKilledTaskIsRunAgainAndTheResultIsUnchanged() throws java.util.concurrent.TimeoutException {
        SparkSession spark = LocalSpark.session();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger killedEnds = new AtomicInteger();
        SparkListener killer = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                // The first attempt of the job's third task, killed as it starts: Spark runs it again.
                if (start.taskInfo().index() == 2 && start.taskInfo().attemptNumber() == 0 && killed.compareAndSet(false, true)) {
                    spark.sparkContext().killTaskAttempt(start.taskInfo().taskId(), true, "killed by the test");
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof TaskKilled) {
                    killedEnds.incrementAndGet();
                }
            }
        };
        ClusterStatistics.Result r = null;
        // The kill can come after a short task is done; then the job is run again until one lands (rarely needed).
        for (int tries = 0; tries < 4 && killedEnds.get() == 0; tries++) {
            killed.set(false);
            spark.sparkContext().addSparkListener(killer);
            try {
                r = SparkStatistics.compute(spark, LocalSpark.request(digits, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 6));
            } finally {
                spark.sparkContext().removeSparkListener(killer);
            }
            assertEquals(300, r.stats().count());
            assertTrue(LocalSpark.relative(r.stats().covariance(), single.covariance()) < 1e-12);
        }
        spark.sparkContext().listenerBus().waitUntilEmpty();
        assertTrue(killedEnds.get() > 0, "no task attempt was killed in 4 runs");
    }

    @Test
    void executorsKeepTheirSessionsAcrossTasksAndJobs() {
        for (int i = 0; i < 2; i++) {
            SparkStatistics.compute(LocalSpark.session(), LocalSpark.request(digits, ImageFolder.Color.GRAY, NetworkSpec.mnistMlp(), 8));
        }
        // 16 tasks on two slots: at most two sessions of this network were ever needed at once.
        int idle = ExecutorSessions.idle(NetworkSpec.mnistMlp(), false);
        assertTrue(idle >= 1 && idle <= 2, "sessions idle: " + idle);
    }

    @Test
    void dinov2AndClipFromShippedCheckpointsGiveOneMachinesStatistics(@TempDir Path cache) {
        Path rgb = LocalSpark.images(tmp.resolve("rgb-vit"), 20, 36, true, 8);
        Path[] files = {Path.of("..", "testdata", "dinov2", "tiny_mlp.pth"), Path.of("..", "testdata", "clip", "tiny.safetensors")};
        String[] names = {"dinov2-vitl14", "clip-vitl14-336"};
        dev.ganeval.core.weights.WeightsResolver resolver = dev.ganeval.core.weights.WeightsResolver.builder()
                .cacheDir(cache).build();
        for (int i = 0; i < 2; i++) {
            Path weights = files[i].toAbsolutePath().normalize();
            GaussianStats one = LocalSpark.singleMachine(rgb, ImageFolder.Color.RGB, i == 0
                    ? dev.ganeval.metrics.evaluation.DinoV2Network.of(names[i], weights, resolver)
                    : dev.ganeval.metrics.evaluation.ClipNetwork.of(weights, resolver));
            ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                    LocalSpark.request(rgb, ImageFolder.Color.RGB, NetworkSpec.checkpoint(names[i], weights), 3));
            assertEquals(one.dim(), r.stats().dim());
            assertTrue(LocalSpark.relative(r.stats().mean(), one.mean()) < 1e-12, names[i]);
            assertTrue(LocalSpark.relative(r.stats().covariance(), one.covariance()) < 1e-12, names[i]);
            assertTrue(r.featureTag().contains(names[i]) && r.network().equals(names[i]), r.featureTag());
        }
    }

    @Test
    void inceptionFromAShippedWeightFileGivesOneMachinesStatistics() {
        Path weights = Path.of("..", "testdata", "inception", "fid_inception_w16.pth").toAbsolutePath().normalize();
        Path rgb = LocalSpark.images(tmp.resolve("rgb"), 24, 40, true, 7);
        GaussianStats one = LocalSpark.singleMachine(rgb, ImageFolder.Color.RGB,
                InceptionNetwork.of(InceptionProtocol.CLEAN, WeightsResolver.builder().offline(true).build(), weights));
        ClusterStatistics.Result r = SparkStatistics.compute(LocalSpark.session(),
                LocalSpark.request(rgb, ImageFolder.Color.RGB, NetworkSpec.inception(InceptionProtocol.CLEAN, weights), 3));
        assertEquals(one.dim(), r.stats().dim());
        assertTrue(LocalSpark.relative(r.stats().mean(), one.mean()) < 1e-12);
        assertTrue(LocalSpark.relative(r.stats().covariance(), one.covariance()) < 1e-12);
        assertTrue(r.featureTag().contains("inception-v3"), r.featureTag());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("SHA-256")), r.warnings().toString());
    }
}
