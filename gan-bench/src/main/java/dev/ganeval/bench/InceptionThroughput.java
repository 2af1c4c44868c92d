package dev.ganeval.bench;

import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.InceptionV3;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import java.nio.file.Path;
import java.util.Random;

/**
 * Reading pytorch-fid's 95 MB Inception checkpoint, building its ONNX graph, and the features of 50 RGB 32×32 images
 * resized to 299 in each protocol: the Java side of docs/inception.md's "Speed" (gan-bench/peers/inception_fid_torch.py
 * writes the checkpoint, at the published widths with random weights, and times PyTorch on the same work).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.InceptionThroughput FILE.pth</pre>
 */
public final class InceptionThroughput {
    private InceptionThroughput() {}

    public static void main(String[] a) throws Exception {
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            var sd = TorchCheckpoint.read(Path.of(a[0]));
            long t1 = System.nanoTime();
            byte[] model = InceptionV3.onnx(sd);
            long t2 = System.nanoTime();
            System.out.printf("read %.2f s, build %.2f s (%d tensors, %.1f MB model)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, sd.size(), model.length / 1e6);
            if (rep == 1) {
                FloatMatrix x = new FloatMatrix(50, 3 * 32 * 32);
                Random r = new Random(1);
                for (int i = 0; i < x.data().length; i++) x.data()[i] = r.nextFloat();
                // The graph ganeval builds against torch.onnx's export of the same network, on the same 50 inputs.
                java.nio.file.Path export = Path.of(a[0]).resolveSibling("torch_export.onnx");
                if (java.nio.file.Files.isRegularFile(export)) {
                    float[] in = new float[50 * 3 * 299 * 299];
                    for (int i = 0; i < in.length; i++) in[i] = r.nextFloat() * 2 - 1;
                    for (String which : new String[] {"ganeval's graph", "torch.onnx export"}) {
                        byte[] bytes = which.startsWith("ganeval") ? model : java.nio.file.Files.readAllBytes(export);
                        try (dev.ganeval.core.onnx.OnnxModel m = dev.ganeval.core.onnx.OnnxModel.load(bytes, Device.CPU, which)) {
                            double[] ts = new double[3];
                            for (int k = 0; k < 3; k++) {
                                long s = System.nanoTime();
                                m.run(in, new long[] {50, 3, 299, 299}, java.util.List.of("pool"));
                                ts[k] = (System.nanoTime() - s) / 1e9;
                            }
                            java.util.Arrays.sort(ts);
                            System.out.printf("%s, network alone: 50 images median %.2f s = %.1f images/s%n", which, ts[1], 50 / ts[1]);
                        }
                    }
                }
                for (String p : new String[] {"pytorch-fid", "tf", "clean"}) {
                    long l0 = System.nanoTime();
                    try (OnnxFeatureExtractor fx = new OnnxFeatureExtractor(model, "inception.onnx", "pool", 3, 32, 32, 299,
                            InceptionProtocol.parse(p), Device.CPU, 50)) {
                        long l1 = System.nanoTime();
                        double[] ts = new double[3];
                        for (int k = 0; k < 3; k++) {
                            long s = System.nanoTime();
                            fx.extract(x);
                            ts[k] = (System.nanoTime() - s) / 1e9;
                        }
                        java.util.Arrays.sort(ts);
                        System.out.printf("%s: load %.2f s; 50 images 32x32 -> 299: median %.2f s = %.1f images/s (%.2f-%.2f)%n", p,
                                (l1 - l0) / 1e9, ts[1], 50 / ts[1], ts[0], ts[2]);
                    }
                }
            }
        }
    }
}
