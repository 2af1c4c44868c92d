package dev.ganeval.bench;

import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.metrics.features.ClipVision;
import dev.ganeval.metrics.features.DinoV2;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The ganeval side of {@code compare.sh vit}: reading a DINOv2 checkpoint (gan-bench/peers/vit_torch.py writes one at
 * a published size with random weights) or CLIP's image tower (gan-bench/peers/clip_torch.py), building its graph
 * (224 × 224; CLIP's 336 × 336), and the forward pass on N preprocessed inputs, 3 runs after a warm-up; prints one JSON
 * line like the peer's.
 *
 * <pre>java --add-modules jdk.incubator.vector -Xmx12g -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.VitThroughput FILE.pth N [dinov2|clip]</pre>
 */
public final class VitThroughput {
    private VitThroughput() {}

    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[1]);
        boolean clip = a.length > 2 && a[2].equals("clip");
        int side = clip ? 336 : 224;
        String output = clip ? ClipVision.EMBEDDING : DinoV2.FEATURES;
        long t0 = System.nanoTime();
        var sd = new java.util.LinkedHashMap<>(TorchCheckpoint.read(Path.of(a[0])));
        if (clip) {
            sd.keySet().removeIf(k -> !ClipVision.KEYS.test(k));
        }
        long t1 = System.nanoTime();
        byte[] model = clip ? ClipVision.onnx(sd) : DinoV2.onnx(sd, side, side);
        long t2 = System.nanoTime();
        float[] x = new float[n * 3 * side * side];
        Random r = new Random(0);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (OnnxModel m = OnnxModel.load(model, Device.CPU, clip ? "clip" : "dinov2")) {
            long t3 = System.nanoTime();
            long[] shape = {n, 3, side, side};
            m.run(x, shape, List.of(output));
            double[] ts = new double[3];
            for (int k = 0; k < 3; k++) {
                long s = System.nanoTime();
                m.run(x, shape, List.of(output));
                ts[k] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ts);
            System.out.printf(java.util.Locale.ROOT, "{\"median_ms\": %.1f, \"min_ms\": %.1f, \"max_ms\": %.1f, \"images\": %d, "
                    + "\"read_s\": %.1f, \"build_s\": %.1f, \"load_s\": %.1f, \"model_mb\": %.0f}%n", ts[1], ts[0], ts[2], n,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, model.length / 1e6);
        }
    }
}
