package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.GaussianStats;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * FID statistics of a set of images too large for one machine, computed on a cluster. The {@code gan-spark} artifact
 * provides it (Apache Spark); the CLI finds it on its class path ({@link #find()}) for {@code ganeval stats --spark}, so
 * the CLI's own jar does not carry Spark.
 */
public interface ClusterStatistics {
    /** The engine's name for messages, e.g. {@code spark}. */
    String engine();

    /**
     * Decodes every image under the request's source on the cluster, runs the network on each image, and merges the
     * per-partition statistics. Images that cannot be decoded (or have another size than the first) are counted and
     * named in the result, not a failed job.
     *
     * @throws dev.ganeval.core.InvalidInputException when the source holds no images or the first cannot be decoded, or
     *     fewer than two images could be used
     */
    Result compute(Request request);

    /** Chooses the network once the images' geometry is known (on the driver; it may resolve weight files there). */
    @FunctionalInterface
    interface NetworkChoice {
        NetworkSpec choose(int channels, int height, int width);
    }

    /**
     * @param master     where to run: a Spark master URL ({@code local[*]}, {@code spark://host:7077}), or null for the one
     *                   the job was submitted with
     * @param source     a folder (or glob) any file system of the cluster can read: a local path, {@code hdfs://}, {@code s3a://}
     * @param color      how images are decoded (RGB, or gray)
     * @param network    the network for the images' geometry
     * @param device     where ONNX Runtime runs on each executor
     * @param partitions how many partitions to split the images into, or 0 for the engine's choice
     */
    record Request(String master, String source, ImageFolder.Color color, NetworkChoice network, Device device, int partitions) {
        public Request {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(color, "color");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(device, "device");
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be at least 1 (or 0 for the engine's choice), got " + partitions);
            }
        }
    }

    /**
     * @param stats             the statistics of every image that was used
     * @param images            image files found
     * @param skipped           images that could not be used (undecodable, or another size than the first)
     * @param firstSkipped      the first few of them as {@code path: reason}, in path order
     * @param featureTag        what the features are ({@link FeatureNetwork.Session#featureTag()})
     * @param partitions        partitions the images were split into
     * @param warnings          what opening the network found (weights that are not the published ones)
     * @param time              the whole job, driver included
     */
    record Result(GaussianStats stats, long images, long skipped, List<String> firstSkipped, String featureTag, int partitions,
                  List<String> warnings, Duration time) {
        public Result {
            firstSkipped = List.copyOf(firstSkipped);
            warnings = List.copyOf(warnings);
        }
    }

    /** The first implementation on the class path (gan-spark's), if any. */
    static Optional<ClusterStatistics> find() {
        return ServiceLoader.load(ClusterStatistics.class).findFirst();
    }
}
