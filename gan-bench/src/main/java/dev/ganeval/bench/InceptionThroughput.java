package dev.ganeval.bench;

import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import dev.ganeval.core.torch.TorchCheckpoint;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.metrics.features.InceptionV3;
import dev.ganeval.metrics.features.OnnxFeatureExtractor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The ganeval side of {@code compare.sh features}: reading pytorch-fid's Inception checkpoint, building its ONNX graph
 * (twice: the first in a fresh JVM), the network alone on 50 preprocessed inputs (the graph ganeval builds, and
 * torch.onnx's export of the same network when it lies beside the checkpoint), and the features of 50 RGB 32×32
 * images resized to 299 in each protocol, medians of 3 runs. gan-bench/peers/inception_fid_torch.py writes both files
 * (published widths, random weights) and times PyTorch on the same work. Prints one JSON line; T is the thread count.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.InceptionThroughput FILE.pth [T]</pre>
 */
public final class InceptionThroughput {
    private static final int IMAGES = 50;

    private InceptionThroughput() {}

    public static void main(String[] a) throws Exception {
        ComputeThreads.set(a.length > 1 ? Integer.parseInt(a[1]) : 2);
        Path checkpoint = Path.of(a[0]);
        StringBuilder json = new StringBuilder("{");
        byte[] model = null;
        for (int rep = 0; rep < 2; rep++) {
            long t0 = System.nanoTime();
            var sd = TorchCheckpoint.read(checkpoint);
            long t1 = System.nanoTime();
            model = InceptionV3.onnx(sd);
            long t2 = System.nanoTime();
            json.append(String.format(Locale.ROOT, "\"read_s_%d\": %.2f, \"build_s_%d\": %.2f, ", rep + 1, (t1 - t0) / 1e9,
                    rep + 1, (t2 - t1) / 1e9));
        }
        Random r = new Random(1);
        float[] preprocessed = new float[IMAGES * 3 * InceptionV3.IMAGE_SIZE * InceptionV3.IMAGE_SIZE];
        for (int i = 0; i < preprocessed.length; i++) {
            preprocessed[i] = r.nextFloat() * 2 - 1;
        }
        long[] shape = {IMAGES, 3, InceptionV3.IMAGE_SIZE, InceptionV3.IMAGE_SIZE};
        Path export = checkpoint.resolveSibling("torch_export.onnx");
        for (String which : Files.isRegularFile(export) ? List.of("graph", "torch_export") : List.of("graph")) {
            byte[] bytes = which.equals("graph") ? model : Files.readAllBytes(export);
            try (OnnxModel m = OnnxModel.load(bytes, Device.CPU, which)) {
                double[] ms = timed(() -> m.run(preprocessed, shape, List.of(InceptionV3.POOL)));
                json.append(String.format(Locale.ROOT, "\"%s_alone_ms\": %.1f, ", which, ms[1]));
            }
        }
        FloatMatrix x = new FloatMatrix(IMAGES, 3 * 32 * 32);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = r.nextFloat();
        }
        for (String p : List.of("pytorch-fid", "tf", "clean")) {
            try (OnnxFeatureExtractor fx = new OnnxFeatureExtractor(model, "inception.onnx", InceptionV3.POOL, 3, 32, 32,
                    InceptionV3.IMAGE_SIZE, InceptionProtocol.parse(p), Device.CPU, IMAGES)) {
                double[] ms = timed(() -> fx.extract(x));
                json.append(String.format(Locale.ROOT, "\"%s\": {\"median_ms\": %.1f, \"min_ms\": %.1f, \"max_ms\": %.1f}, ", p,
                        ms[1], ms[0], ms[2]));
            }
        }
        json.append(String.format(Locale.ROOT, "\"images\": %d, \"threads\": %d}", IMAGES, ComputeThreads.get()));
        System.out.println(json);
    }

    /** Min, median and max milliseconds of 3 runs after a warm-up. */
    private static double[] timed(Runnable work) {
        work.run();
        double[] ms = new double[3];
        for (int k = 0; k < ms.length; k++) {
            long s = System.nanoTime();
            work.run();
            ms[k] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }
}
