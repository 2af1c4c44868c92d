package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.GaussianStats;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * FID statistics of a set of images too large for one machine, computed on a cluster, and where a metric needs them
 * (KID, IS, PRDC...) the feature rows and class logits, brought to the driver in path order. The {@code gan-spark}
 * artifact provides it (Apache Spark); the CLI finds it on its class path ({@link #find()}) for {@code ganeval stats
 * --spark} and {@code ganeval score --spark}, so the CLI's own jar does not carry Spark. A result is one side of an
 * {@link Evaluation} ({@link Evaluation.Builder#fake(Result, String)}).
 */
public interface ClusterStatistics {
    /**
     * Rows a side may bring to the driver by default: 50,000 Inception rows with their logits are about 600 MB, under
     * Spark's default 1 GiB cap on what a job returns ({@code spark.driver.maxResultSize}).
     */
    int DEFAULT_MAX_ROWS = 50_000;

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

    /**
     * Several sources (the two sides of a score) in turn, on one cluster session where the engine can share it: its
     * executors and their networks are started once. Every request must name the same master.
     */
    default List<Result> compute(List<Request> requests) {
        return requests.stream().map(this::compute).toList();
    }

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
     * @param features   whether the feature rows come back too (for metrics on rows: KID, PRDC...)
     * @param logits     whether the class logits come back (for IS); the network must give them
     * @param maxRows    the most images whose rows may come back, when rows or logits are asked for: more is refused
     *                   before the images are read where the count is known then, else after the job
     */
    record Request(String master, String source, ImageFolder.Color color, NetworkChoice network, Device device, int partitions,
                   boolean features, boolean logits, int maxRows) {
        public Request {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(color, "color");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(device, "device");
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be at least 1 (or 0 for the engine's choice), got " + partitions);
            }
            if ((features || logits) && maxRows < 2) {
                throw new IllegalArgumentException("maxRows must be at least 2 when rows come back, got " + maxRows);
            }
        }

        /** Statistics only. */
        public Request(String master, String source, ImageFolder.Color color, NetworkChoice network, Device device, int partitions) {
            this(master, source, color, network, device, partitions, false, false, 0);
        }

        /** The same request, bringing back feature rows and/or logits of at most {@code maxRows} images. */
        public Request withRows(boolean features, boolean logits, int maxRows) {
            return new Request(master, source, color, network, device, partitions, features, logits, maxRows);
        }

        /** Whether anything beyond the statistics comes back. */
        public boolean rows() {
            return features || logits;
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
     * @param network           the network's name ({@link FeatureNetwork#name()})
     * @param protocol          how images were prepared for it ({@link FeatureNetwork.Session#protocol()})
     * @param features          the feature rows of the used images in path order, when asked for; else null
     * @param logits            their class logits in the same order, when asked for; else null
     * @param logitsTag         what the logits are, when asked for; else null
     */
    record Result(GaussianStats stats, long images, long skipped, List<String> firstSkipped, String featureTag, int partitions,
                  List<String> warnings, Duration time, String network, String protocol, FloatMatrix features, FloatMatrix logits,
                  String logitsTag) {
        public Result {
            Objects.requireNonNull(stats, "stats");
            firstSkipped = List.copyOf(firstSkipped);
            warnings = List.copyOf(warnings);
            if (features != null && features.rows() != stats.count() || logits != null && logits.rows() != stats.count()) {
                throw new IllegalArgumentException("rows that came back (" + (features != null ? features.rows() : logits.rows())
                        + ") are not the " + stats.count() + " images in the statistics");
            }
        }

        /** What to tell the user about the images that could not be used, if any: how many, and the first by path. */
        public Optional<String> skippedWarning() {
            if (skipped == 0) {
                return Optional.empty();
            }
            return Optional.of(skipped + " of " + images + " images could not be used and are left out; "
                    + (skipped > firstSkipped.size() ? "the first " + firstSkipped.size() + ": " : "")
                    + String.join("; ", firstSkipped));
        }
    }

    /** The first implementation on the class path (gan-spark's), if any. */
    static Optional<ClusterStatistics> find() {
        return ServiceLoader.load(ClusterStatistics.class).findFirst();
    }
}
