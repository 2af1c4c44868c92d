package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.Metric;
import dev.ganeval.metrics.MetricInputs;
import dev.ganeval.metrics.Score;
import dev.ganeval.metrics.features.InceptionProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Folders of PNGs to FID and IS through Inception-v3 read from its .pth, against PyTorch and pytorch-fid's rule on the
 * same images, for each protocol (testdata/make_inception_protocol_references.py: the same network with every width
 * divided by 16 and random weights, Debian's torch 1.13, PIL, scipy's sqrtm).
 */
class InceptionReferenceTest {
    @TempDir
    Path cache;

    /** Hands back the generated side's feature rows as its score's details. */
    record Rows(FloatMatrix rows) implements Score {
        @Override
        public String metric() {
            return "rows";
        }

        @Override
        public double value() {
            return rows.rows();
        }

        @Override
        public Map<String, Object> settings() {
            return Map.of();
        }
    }

    static final class FakeRows implements Metric {
        @Override
        public String name() {
            return "rows";
        }

        @Override
        public Set<Input> inputs() {
            return EnumSet.of(Input.FAKE_FEATURES);
        }

        @Override
        public Score compute(MetricInputs in) {
            return new Rows(in.fakeFeatures());
        }
    }

    static double normwise(FloatMatrix got, double[] want) {
        double diff = 0;
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            diff = Math.max(diff, Math.abs(got.data()[i] - want[i]));
            max = Math.max(max, Math.abs(want[i]));
        }
        return diff / max;
    }

    @Test
    void foldersScoreAsPytorchFidAndTorchFidelityScoreThem() {
        Path images = InceptionNetworkTest.checkpoint("fid_inception_w16.pth").getParent().resolveSibling("images").resolve("inception");
        Map<String, NpyArray> ref = Npy.readNpz(images.getParent().getParent().resolve("reference").resolve("inception_protocols.npz"));
        WeightsResolver offline = WeightsResolver.builder().cacheDir(cache).offline(true).env(Map.of()).build();
        Path w16 = InceptionNetworkTest.checkpoint("fid_inception_w16.pth");
        StringBuilder measured = new StringBuilder();
        for (InceptionProtocol p : InceptionProtocol.values()) {
            String k = p == InceptionProtocol.PYTORCH_FID ? "pfid" : p.name();
            InceptionNetwork net = InceptionNetwork.of(p, offline, w16);
            EvaluationReport ab = Evaluation.of(SampleSources.folder(images.resolve("a")), SampleSources.folder(images.resolve("b")))
                    .network(net).metrics("fid").metric(new FakeRows()).run();
            double pool = normwise(((Rows) ab.score("rows").result()).rows(), ref.get(k + "_b_pool_f64").toDoubles());
            double fid = ab.score("fid").value();
            double fidRef = ref.get(k + "_fid_a_b").toDoubles()[0];
            EvaluationReport big = Evaluation.of(SampleSources.folder(images.resolve("a")),
                    SampleSources.folder(images.resolve("big"))).network(net).metrics("fid").metric(new FakeRows()).run();
            double poolBig = normwise(((Rows) big.score("rows").result()).rows(), ref.get(k + "_big_pool_f64").toDoubles());
            EvaluationReport is = Evaluation.builder().fake(SampleSources.folder(images.resolve("a"))).network(net)
                    .metric("is", Map.of("splits", 2)).run();
            double isRef = ref.get(k + "_is_a_mean").toDoubles()[0];
            measured.append(String.format(java.util.Locale.ROOT, "%-11s pool %.2e  pool(400x300) %.2e  FID %.6f vs %.6f (%.2e)  "
                            + "IS %.8f vs %.8f (%.2e)%n", p.name(), pool, poolBig, fid, fidRef, Math.abs(fid - fidRef) / fidRef,
                    is.score("is").value(), isRef, Math.abs(is.score("is").value() - isRef) / isRef));
            assertTrue(pool < 1e-5 && poolBig < 1e-5, measured.toString());
            assertEquals(fidRef, fid, 1e-6 * fidRef, measured.toString());
            assertEquals(isRef, is.score("is").value(), 1e-6 * isRef, measured.toString());
            assertEquals(ref.get(k + "_is_a_std").toDoubles()[0], is.score("is").uncertainty(), 1e-4, measured.toString());
        }
        System.out.print(measured);
    }
}
