package dev.ganeval.spark;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.FeatureStatistics;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import org.apache.spark.sql.SparkSession;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** One {@code local[2]} session for the test JVM, images to feed it, and the single-machine answers to compare with. */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {}

    /** Two task slots; a failed task is tried up to 4 times, as on a cluster ({@code local[N,F]}). */
    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,4]").appName("gan-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }

    /** {@code n} random {@code size×size} images (gray or RGB PNGs) named img00000.png…, from {@code seed}. */
    static Path images(Path dir, int n, int size, boolean rgb, long seed) {
        Random r = new Random(seed);
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < n; i++) {
                writeImage(dir.resolve(String.format("img%05d.png", i)), size, size, rgb, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** MNIST test digits {@code from} to {@code from + n} as gray PNGs (fetched by gan-core's build into testdata/data). */
    static Path mnist(Path dir, int from, int n) {
        dev.ganeval.core.linalg.FloatMatrix x = dev.ganeval.core.data.Idx.readImages(
                Path.of("..", "testdata", "data", "mnist", "t10k-images-idx3-ubyte"));
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < n; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 784; p++) {
                    int v = Math.round(x.get(from + i, p) * 255);
                    img.setRGB(p % 28, p / 28, (v << 16) | (v << 8) | v);
                }
                ImageIO.write(img, "png", dir.resolve(String.format("digit%05d.png", i)).toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    static void writeImage(Path file, int width, int height, boolean rgb, Random r) throws IOException {
        BufferedImage img = new BufferedImage(width, height, rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        // Blobs rather than white noise, so the features have structure (and a well-conditioned covariance).
        int cx = r.nextInt(width);
        int cy = r.nextInt(height);
        int base = r.nextInt(200);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double d = Math.hypot(x - cx, y - cy);
                int v = (int) Math.max(0, Math.min(255, base * Math.exp(-d / 6.0) + r.nextInt(40)));
                int rgbv = rgb ? (v << 16) | ((255 - v) << 8) | (r.nextInt(256)) : (v << 16) | (v << 8) | v;
                img.setRGB(x, y, rgbv);
            }
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /** What {@code ganeval stats} computes on one machine: the evaluation layer over the folder. */
    static GaussianStats singleMachine(Path folder, ImageFolder.Color color, FeatureNetwork network) {
        SampleSource src = SampleSource.parse(folder.toString(), color);
        var report = Evaluation.builder().fake(src).metric(new FeatureStatistics()).network(network).device(Device.CPU).run();
        return ((FeatureStatistics.Result) report.scores().get(0).result()).stats();
    }

    static ClusterStatistics.Request request(Path folder, ImageFolder.Color color, NetworkSpec network, int partitions) {
        return new ClusterStatistics.Request(null, folder.toString(), color, (c, h, w) -> network, Device.CPU, partitions);
    }

    /** Largest |a−b| over the largest |b|: the relative difference of two arrays. */
    static double relative(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }
}
