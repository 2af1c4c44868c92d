package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.InceptionScore;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.InceptionV3;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pytorch-fid's Inception-v3 through the evaluation, on the committed checkpoint of the same topology with every width
 * divided by 16 and random weights (testdata/make_inception_reference.py): weights resolved offline from a given file,
 * read from the .pth, built once and cached, run with each protocol.
 */
class InceptionNetworkTest {
    @TempDir
    Path cache;

    static Path checkpoint(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata").resolve("inception"))) {
            dir = dir.getParent();
        }
        return dir.resolve("testdata").resolve("inception").resolve(name);
    }

    static SampleSource images(long seed, int n, int h, int w, String name) {
        Random rnd = new Random(seed);
        FloatMatrix x = new FloatMatrix(n, 3 * h * w);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = Math.round(rnd.nextFloat() * 255) / 255f;
        }
        return SampleSource.of(() -> x, 3, h, w, name);
    }

    private WeightsResolver offline() {
        return WeightsResolver.builder().cacheDir(cache).offline(true).env(Map.of()).build();
    }

    @Test
    void scoresThroughTheCheckpointAsTheGraphBuiltByHandDoes() throws IOException {
        Path w16 = checkpoint("fid_inception_w16.pth");
        SampleSource a = images(1, 24, 32, 32, "a");
        SampleSource b = images(2, 24, 32, 32, "b");
        for (InceptionProtocol p : InceptionProtocol.values()) {
            EvaluationReport r = Evaluation.of(a, b).network(InceptionNetwork.of(p, offline(), w16))
                    .metrics("fid").metric("is", Map.of("splits", 2)).run();
            byte[] model = InceptionV3.onnx(TorchCheckpoint.read(w16));
            try (OnnxFeatureExtractor fx = new OnnxFeatureExtractor(model, "x.onnx", InceptionV3.POOL, 3, 32, 32, 299, p,
                    Device.CPU, 50)) {
                double fid = FrechetDistance.between(fx.extract(a.read()), fx.extract(b.read())).value();
                assertEquals(fid, r.score("fid").value(), 1e-9 * fid, p.name());
                FloatMatrix logits = fx.extract(b.read(), List.of(InceptionV3.LOGITS_UNBIASED), dev.ganeval.core.Progress.NONE)
                        .get(InceptionV3.LOGITS_UNBIASED);
                assertEquals(InceptionScore.builder().splits(2).build().compute(logits).value(), r.score("is").value(), 1e-12);
            }
            assertEquals("inception-v3/" + p.name(), r.network());
            assertEquals("FID[inception-v3/" + p.name() + "]", r.score("fid").label());
            assertTrue(r.featureTag().contains("unpublished-weights") && r.featureTag().endsWith("/pool/" + p.label(299)),
                    r.featureTag());
            assertTrue(r.logitsTag().contains("/logits_unbiased/"), r.logitsTag());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not comparable")), r.warnings().toString());
        }
        // Built once, then read from the cache: one model file, keyed by the weights' hash.
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.filter(f -> f.getFileName().toString().matches("inception-v3-[0-9a-f]{16}-g1\\.onnx")).count());
        }
    }

    @Test
    void aDamagedCachedGraphIsBuiltAgain() throws IOException {
        SampleSource a = images(9, 6, 32, 32, "a");
        SampleSource b = images(10, 6, 32, 32, "b");
        InceptionNetwork net = InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(), checkpoint("fid_inception_w16.pth"));
        double first = Evaluation.of(a, b).network(net).metrics("fid").run().score("fid").value();
        Path cached;
        try (Stream<Path> files = Files.list(cache)) {
            cached = files.filter(f -> f.getFileName().toString().endsWith("-g1.onnx")).findFirst().orElseThrow();
        }
        Files.write(cached, new byte[] {1, 2, 3});
        // An older builder's graph of the same weights, and another weights' graph.
        Path olderVersion = cached.resolveSibling(cached.getFileName().toString().replace("-g1.onnx", "-g0.onnx"));
        Path otherWeights = cached.resolveSibling("inception-v3-0123456789abcdef-g0.onnx");
        Path newerVersion = cached.resolveSibling(cached.getFileName().toString().replace("-g1.onnx", "-g12.onnx"));
        Files.write(olderVersion, new byte[] {4});
        Files.write(otherWeights, new byte[] {5});
        Files.write(newerVersion, new byte[] {6});
        assertEquals(first, Evaluation.of(a, b).network(net).metrics("fid").run().score("fid").value(), 0.0);
        assertTrue(Files.size(cached) > 1000, "rebuilt and cached again");
        assertTrue(!Files.exists(olderVersion), "the rebuilt graph replaces the older version");
        assertTrue(Files.exists(otherWeights), "other weights' graphs are left alone");
        assertTrue(Files.exists(newerVersion), "a newer install's graph is left alone");
    }

    @Test
    void aGraphRefusedForAnotherReasonStaysCached() throws IOException {
        InceptionNetwork net = InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(), checkpoint("fid_inception_w16.pth"));
        net.open(3, 32, 32, Device.CPU, false).close();
        Path cached;
        try (Stream<Path> files = Files.list(cache)) {
            cached = files.filter(f -> f.getFileName().toString().endsWith("-g1.onnx")).findFirst().orElseThrow();
        }
        java.nio.file.attribute.FileTime built = Files.getLastModifiedTime(cached);
        // CUDA is not in this build: the model is refused, and its file is not the problem.
        dev.ganeval.core.onnx.ModelLoadException e = assertThrows(dev.ganeval.core.onnx.ModelLoadException.class,
                () -> net.open(3, 32, 32, Device.CUDA, false));
        assertTrue(!e.modelUnreadable(), e.getMessage());
        assertEquals(built, Files.getLastModifiedTime(cached));
    }

    @Test
    void aCacheThatCannotBeWrittenCostsTheBuildingNotTheResult() throws IOException {
        SampleSource a = images(11, 6, 32, 32, "a");
        SampleSource b = images(12, 6, 32, 32, "b");
        Path w16 = checkpoint("fid_inception_w16.pth");
        EvaluationReport cached = Evaluation.of(a, b).network(InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(), w16))
                .metrics("fid").run();
        // A cache folder under a regular file cannot be created: the graph is then opened from memory, not from a file.
        Path blocked = Files.writeString(cache.resolve("a-file"), "x").resolve("cache");
        WeightsResolver unwritable = WeightsResolver.builder().cacheDir(blocked).offline(true).env(Map.of()).build();
        EvaluationReport inMemory = Evaluation.of(a, b).network(InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, unwritable, w16))
                .metrics("fid").run();
        assertEquals(cached.score("fid").value(), inMemory.score("fid").value(), 0.0);
        // The tag hashes the graph's bytes either way: the streamed file is the serialised model, byte for byte.
        assertEquals(cached.featureTag(), inMemory.featureTag());
        assertTrue(!Files.exists(blocked));
    }

    @Test
    void graphConsumingEmptiesTheCheckpointsMapAndBuildsTheSameGraphAsGraph() {
        Map<String, dev.ganeval.core.torch.Tensor> sd = TorchCheckpoint.read(checkpoint("fid_inception_w16.pth"));
        int keys = sd.size();
        byte[] model = dev.ganeval.core.onnx.OnnxExport.model(InceptionV3.graph(sd));
        assertEquals(keys, sd.size(), "graph reads a copy");
        byte[] consumed = dev.ganeval.core.onnx.OnnxExport.model(InceptionV3.graphConsuming(sd));
        assertTrue(sd.isEmpty(), "left in the map: " + sd.keySet());
        org.junit.jupiter.api.Assertions.assertArrayEquals(model, consumed);
    }

    @Test
    void anExtractorForAnotherImageSizeRunsOnTheSameSessionUntilTheLastIsClosed() {
        byte[] model = InceptionV3.onnx(TorchCheckpoint.read(checkpoint("fid_inception_w16.pth")));
        SampleSource gray = SampleSource.of(() -> {
            FloatMatrix x = new FloatMatrix(5, 48 * 40);
            Random rnd = new Random(13);
            for (int i = 0; i < x.data().length; i++) {
                x.data()[i] = rnd.nextFloat();
            }
            return x;
        }, 1, 48, 40, "gray");
        FloatMatrix expected;
        try (OnnxFeatureExtractor fresh = new OnnxFeatureExtractor(model, "m", InceptionV3.POOL, 1, 48, 40, 299,
                InceptionProtocol.CLEAN, Device.CPU, 50)) {
            expected = fresh.extract(gray.read());
        }
        OnnxFeatureExtractor base = new OnnxFeatureExtractor(model, "m", InceptionV3.POOL, 3, 32, 32, 299,
                InceptionProtocol.CLEAN, Device.CPU, 50);
        OnnxFeatureExtractor other = base.forImages(1, 48, 40);
        assertEquals(base.tag(), other.tag());
        base.close();
        base.close();  // twice is once: the session stays open for the other
        assertThrows(IllegalStateException.class, () -> base.extract(gray.read()));
        assertTrue(java.util.Arrays.equals(expected.data(), other.extract(gray.read()).data()), "same features, same bits");
        assertThrows(IllegalStateException.class, () -> base.forImages(3, 8, 8));
        assertThrows(InvalidInputException.class, () -> other.forImages(2, 8, 8));
        other.close();
        assertThrows(RuntimeException.class, () -> other.extract(gray.read()), "the session is closed with the last");
    }

    @Test
    void legacyAndZipCheckpointsGiveTheSameFeatures() {
        SampleSource a = images(3, 6, 32, 32, "a");
        SampleSource b = images(4, 6, 32, 32, "b");
        double zip = Evaluation.of(a, b).network(InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(),
                checkpoint("fid_inception_w16.pth"))).metrics("fid").run().score("fid").value();
        double legacy = Evaluation.of(a, b).network(InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(),
                checkpoint("fid_inception_w16_legacy.pth"))).metrics("fid").run().score("fid").value();
        assertEquals(zip, legacy, 0.0);
    }

    @Test
    void sidesOfDifferentSizesAreComparedThroughANetworkThatResizes() {
        SampleSource small = images(5, 12, 32, 32, "small");
        SampleSource large = images(6, 12, 48, 40, "large");
        EvaluationReport r = Evaluation.of(small, large).network(InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(),
                checkpoint("fid_inception_w16.pth"))).metrics("fid").run();
        // Each side through a network opened for its own size: 32x32 and 48 high by 40 wide.
        byte[] model = InceptionV3.onnx(TorchCheckpoint.read(checkpoint("fid_inception_w16.pth")));
        try (OnnxFeatureExtractor a = new OnnxFeatureExtractor(model, "a", InceptionV3.POOL, 3, 32, 32, 299,
                InceptionProtocol.PYTORCH_FID, Device.CPU, 50);
             OnnxFeatureExtractor b = new OnnxFeatureExtractor(model, "b", InceptionV3.POOL, 3, 48, 40, 299,
                     InceptionProtocol.PYTORCH_FID, Device.CPU, 50)) {
            double fid = FrechetDistance.between(a.extract(small.read()), b.extract(large.read())).value();
            assertEquals(fid, r.score("fid").value(), 1e-9 * fid);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Evaluation.of(small, large).network(new MnistMlpNetwork()).metrics("fid").build());
        assertTrue(e.getMessage().contains("both sides must have the same image size"), e.getMessage());
    }

    @Test
    void offlineWithoutTheWeightsSaysWhatToFetchAndWhere() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Evaluation.of(images(7, 4, 32, 32, "a"),
                images(8, 4, 32, 32, "b")).network(InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, offline(), null))
                .metrics("fid").run());
        assertTrue(e.getMessage().contains("pt_inception-2015-12-05-6726825d.pth") && e.getMessage().contains("https://"),
                e.getMessage());
    }

    @Test
    void imagesThatAreNot28By28GrayDefaultToInception() {
        assertTrue(FeatureNetworks.defaultFor(3, 32, 32) instanceof InceptionNetwork);
        assertTrue(FeatureNetworks.defaultFor(1, 64, 64) instanceof InceptionNetwork);
        assertTrue(FeatureNetworks.defaultFor(1, 28, 28) instanceof MnistMlpNetwork);
        assertEquals("inception-v3/tf", FeatureNetworks.named("inception-v3/tf").name());
    }
}
