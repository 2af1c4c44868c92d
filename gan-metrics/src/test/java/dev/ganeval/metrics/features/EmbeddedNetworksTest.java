package dev.ganeval.metrics.features;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.InceptionScore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedNetworksTest {
    @Test
    void embeddedMnistNetworkClassifiesTheTestSetAndGivesFeatures() {
        FloatMatrix test = Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images());
        int[] labels = Idx.readLabels(Datasets.mnist(Datasets.Split.TEST).labels());
        try (OnnxFeatureExtractor logits = EmbeddedNetworks.mnist("logits", Device.CPU);
             OnnxFeatureExtractor features = EmbeddedNetworks.mnist("features", Device.CPU)) {
            FloatMatrix z = logits.extract(test);
            assertEquals(10, z.cols());
            int correct = 0;
            for (int i = 0; i < z.rows(); i++) {
                int best = 0;
                for (int j = 1; j < 10; j++) {
                    if (z.get(i, j) > z.get(i, best)) {
                        best = j;
                    }
                }
                if (best == labels[i]) {
                    correct++;
                }
            }
            assertTrue(correct >= 9700, "test accuracy " + correct / 100.0 + "%");
            // Real digits are confidently and evenly classified: an Inception-style score near the class count.
            double is = InceptionScore.create().compute(z).value();
            assertTrue(is > 8 && is <= 10, "IS[mnist-mlp] of the MNIST test set " + is);
            assertEquals(256, features.dim());
            assertTrue(features.tag().startsWith("onnx:mnist-mlp.onnx@sha256:"), features.tag());
            FloatMatrix a = features.extract(test.rowRange(0, 5000));
            FloatMatrix b = features.extract(test.rowRange(5000, 10000));
            FloatMatrix noise = new FloatMatrix(5000, 784);
            java.util.Random rnd = new java.util.Random(1);
            for (int i = 0; i < noise.data().length; i++) {
                noise.data()[i] = rnd.nextFloat();
            }
            double fidHalves = FrechetDistance.between(a, b).value();
            double fidNoise = FrechetDistance.between(a, features.extract(noise)).value();
            assertTrue(fidHalves * 5 < fidNoise, "FID[mnist-mlp]: halves " + fidHalves + ", noise " + fidNoise);
        }
    }
}
