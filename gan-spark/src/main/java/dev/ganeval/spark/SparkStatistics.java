package dev.ganeval.spark;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.CovarianceAccumulator;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * FID statistics of images on Apache Spark. The images are read with Spark's {@code binaryFile} source from any path the
 * cluster can read (or taken from a table's path and content columns); each partition decodes its images exactly as
 * {@code ganeval stats} does ({@link ImageFolder#decode(byte[], Path, ImageFolder.Color)}), runs the feature network
 * in batches on a session its executor keeps ({@link ExecutorSessions}), and adds the features to a float64
 * accumulator; the partitions' count, mean and scatter are merged with a tree aggregate on the way to the driver
 * (Chan et al.'s pairwise update, exact up to rounding). An image that cannot be decoded, or has another size than the
 * first image in path order, is counted and named in the result and its partition goes on. The network's file is
 * shipped to the executors by Spark ({@code SparkContext.addFile}).
 */
public final class SparkStatistics implements ClusterStatistics {
    /** Images per forward pass: Inception-v3's batch on one machine too. */
    static final int BATCH = 50;
    /** Spark's {@code binaryFile} glob, both cases of {@link ImageFolder#EXTENSIONS}. */
    static final String IMAGE_GLOB = "*.{" + ImageFolder.EXTENSIONS.stream().sorted()
            .flatMap(e -> java.util.stream.Stream.of(e, e.toUpperCase(Locale.ROOT))).collect(Collectors.joining(",")) + "}";

    static {
        // Spark's own default logging is INFO on stderr; a user's configuration (the system property) wins.
        if (System.getProperty("log4j2.configurationFile") == null) {
            java.net.URL quiet = SparkStatistics.class.getResource("log4j2.properties");
            if (quiet != null) {
                System.setProperty("log4j2.configurationFile", quiet.toString());
            }
        }
    }

    /** For {@link java.util.ServiceLoader}; the static methods are the library's API. */
    public SparkStatistics() {}

    @Override
    public String engine() {
        return "spark";
    }

    /**
     * Runs on the request's master (a session of its own, stopped afterwards), or with {@code master} null on the
     * session {@code spark-submit} set up.
     */
    @Override
    public Result compute(Request request) {
        Objects.requireNonNull(request, "request");
        SparkSession.Builder b = SparkSession.builder().appName("ganeval stats " + request.source());
        if (request.master() != null) {
            b.master(request.master()).config("spark.ui.enabled", "false");
            int cores = localCores(request.master());
            if (cores > 0) {
                // One task at a time with every core: one session whose ONNX Runtime uses them all took 0.07 s an
                // Inception image here, a single-threaded session per core 0.09 s (100 images, 2 cores).
                b.config("spark.task.cpus", String.valueOf(cores));
            }
        }
        SparkSession spark = b.getOrCreate();
        try {
            return compute(spark, request);
        } finally {
            if (request.master() != null) {
                spark.stop();
            }
        }
    }

    /** The statistics of the images under {@code request.source()}, on {@code spark}; its master is ignored. */
    public static Result compute(SparkSession spark, Request request) {
        long start = System.nanoTime();
        Dataset<Row> files;
        try {
            files = spark.read().format("binaryFile").option("pathGlobFilter", IMAGE_GLOB).load(imagesIn(request.source()));
        } catch (Exception e) {  // Scala throws the checked AnalysisException undeclared
            if (e instanceof org.apache.spark.sql.AnalysisException a) {
                if (!imagesIn(request.source()).equals(request.source()) && exists(spark, request.source())) {
                    throw noImages(request.source());  // a folder whose glob of image names matched nothing
                }
                // PATH_NOT_FOUND and the like: the source, said the way the other bad inputs are.
                throw new InvalidInputException(null, request.source() + ": cannot be read by Spark: " + a.getSimpleMessage(), e);
            }
            throw SparkStatistics.<RuntimeException>unchecked(e);
        }
        // The listing Spark made for the source: no job, no file read.
        String[] listed = files.inputFiles();
        if (listed.length == 0) {
            throw noImages(request.source());
        }
        String first = java.util.Arrays.stream(listed).min(java.util.Comparator.naturalOrder()).orElseThrow();
        byte[] firstBytes = readFile(spark, first);
        Dataset<Row> rows = files.select("path", "content");
        return run(spark, request.partitions() == 0 ? sized(spark, rows, listed.length) : rows.javaRDD(), first, firstBytes,
                request, start);
    }

    /**
     * The statistics of images held in a table: {@code images} has a string column {@code path} (any unique name,
     * for ordering and messages) and a binary column {@code content} (the encoded file). The first image in path order
     * sets the size every image must have.
     */
    public static Result compute(SparkSession spark, Dataset<Row> images, Request request) {
        long start = System.nanoTime();
        Dataset<Row> rows = images.select("path", "content");
        String first = firstPath(rows, request.source());
        Row firstRow = rows.where(rows.col("path").equalTo(first)).select("content").first();
        return run(spark, rows.javaRDD(), first, firstRow.getAs(0), request, start);
    }

    private static String firstPath(Dataset<Row> rows, String source) {
        // Only the path column: binaryFile reads no file content for this.
        List<Row> first = rows.select("path").orderBy("path").limit(1).collectAsList();
        if (first.isEmpty()) {
            throw noImages(source);
        }
        return first.get(0).getString(0);
    }

    /**
     * The files to list for a source: a folder's own images, as {@code ganeval stats} reads them — not its subfolders,
     * which Spark's listing would descend into (and refuse when their names look like two partitioning schemes). A source
     * whose last part is a glob or a file name is taken as given.
     */
    static String imagesIn(String source) {
        String s = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        String last = s.substring(s.lastIndexOf('/') + 1);
        boolean given = last.matches(".*[*?\\[{].*") || ImageFolder.EXTENSIONS.stream()
                .anyMatch(e -> last.toLowerCase(Locale.ROOT).endsWith("." + e));
        return given ? source : s + "/" + IMAGE_GLOB;
    }

    private static InvalidInputException noImages(String source) {
        return new InvalidInputException(null, source + ": no images (looked for files ending in "
                + String.join(", ", ImageFolder.EXTENSIONS.stream().sorted().toList()) + ")");
    }

    /** Images a partition should hold at least: its 32 MiB of statistics (d = 2,048) are then a small part of its work. */
    static final int IMAGES_PER_PARTITION = 1000;

    /**
     * The files split into partitions of about {@link #IMAGES_PER_PARTITION} images, and at least two per task slot so
     * that slots finish together and a lost task is a small part of the job. Spark's own split counts every file as
     * 4 MB at least ({@code spark.sql.files.openCostInBytes}) and packs 128 MB, about 30 images, into a partition: each
     * would carry its own d² statistics back. The split is set through {@code spark.sql.files.maxPartitionBytes} while
     * the plan is made (no shuffle: Spark still packs whole files), then the session's setting is put back.
     */
    private static JavaRDD<Row> sized(SparkSession spark, Dataset<Row> rows, int files) {
        int slots = Math.max(1, spark.sparkContext().defaultParallelism());
        long wanted = Math.max(1, Math.min(files, Math.max(2L * slots, (files + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION)));
        long bytes = rows.queryExecution().optimizedPlan().stats().sizeInBytes().longValue();
        long openCost = spark.sessionState().conf().filesOpenCostInBytes();
        long split = Math.max(1, (bytes + files * openCost + wanted - 1) / wanted);
        String key = "spark.sql.files.maxPartitionBytes";
        String before = spark.conf().contains(key) ? spark.conf().get(key) : null;
        spark.conf().set(key, split);
        try {
            // The plan is made here and keeps the split.
            JavaRDD<Row> planned = rows.javaRDD();
            planned.getNumPartitions();
            return planned;
        } finally {
            if (before == null) {
                spark.conf().unset(key);
            } else {
                spark.conf().set(key, before);
            }
        }
    }

    private static boolean exists(SparkSession spark, String path) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] readFile(SparkSession spark, String path) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(p)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Result run(SparkSession spark, JavaRDD<Row> rows, String firstPath, byte[] firstBytes, Request request,
                              long start) {
        ImageFolder.Image first;
        try {
            first = ImageFolder.decode(firstBytes, fileName(firstPath), request.color());
        } catch (InvalidInputException e) {
            throw new InvalidInputException(null, firstPath + ": " + e.reason() + " (the first image sets the size of all)", e);
        }
        int channels = request.color().channels();
        NetworkSpec network = request.network().choose(channels, first.height(), first.width());
        // Opened here first, so that a network that cannot take these images is one error before any task starts,
        // not a failure retried on every executor.
        List<String> warnings;
        try (FeatureNetwork.Session check = network.open(name -> network.path()).open(channels, first.height(), first.width(),
                request.device(), false)) {
            // The driver's warnings name the user's files; the executors' would name Spark's copies of them.
            warnings = check.warnings();
        }
        if (network.path() != null) {
            spark.sparkContext().addFile(network.path().toString());
        }
        JavaRDD<Row> images = rows;
        if (request.partitions() > 0) {
            images = images.repartition(request.partitions());
        }
        PartitionJob job = new PartitionJob(network, request.color(), channels, first.height(), first.width(),
                request.device(), fileName(firstPath).toString());
        int partitions = images.getNumPartitions();
        PartialStats all;
        try {
            all = images.mapPartitions(job).treeReduce(PartialStats::merge, depth(partitions));
        } catch (Exception e) {  // Scala throws the checked SparkException undeclared
            // A task's bad-input error (a file that vanished, a network that cannot load on an executor) keeps its
            // message; the job's wrapping only says that the stage failed.
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof InvalidInputException bad) {
                    throw new InvalidInputException(null, bad.getMessage() + " (on an executor; the Spark job failed)", e);
                }
            }
            throw SparkStatistics.<RuntimeException>unchecked(e);
        }
        CovarianceAccumulator acc = all.accumulator();
        long used = acc == null ? 0 : acc.count();
        if (used < 2) {
            throw new InvalidInputException(null, request.source() + ": a covariance needs at least 2 images, " + used
                    + " of " + all.images + " could be used" + (all.firstSkipped.isEmpty() ? "" : "; " + all.firstSkipped.get(0)));
        }
        GaussianStats stats = GaussianStats.of(acc.count(), acc.mean(), acc.covariance());
        return new Result(stats, all.images, all.skipped, all.firstSkipped, all.featureTag, partitions, warnings,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The task slots of a local master ({@code local}, {@code local[4]}, {@code local[*]}, {@code local[4,2]}), else 0. */
    static int localCores(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?").matcher(master.strip());
        if (!m.matches()) {
            return 0;
        }
        String n = m.group(1);
        return n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
    }

    /** Rethrows {@code e} as it is: Scala's checked exceptions reach Java undeclared. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E unchecked(Exception e) throws E {
        throw (E) e;
    }

    /** Levels of the merge tree: pairs of partials meet on executors until about √partitions are left for the driver. */
    static int depth(int partitions) {
        return partitions <= 4 ? 1 : 2;
    }

    /** The file name of a Hadoop path or URI, for decoder messages (the full path is in the skip list). */
    static Path fileName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return Path.of(name.isEmpty() ? path : name);
    }

    /** What each partition runs: decode, batch, forward, accumulate. */
    private record PartitionJob(NetworkSpec network, ImageFolder.Color color, int channels, int height, int width, Device device,
                                String firstName) implements FlatMapFunction<Iterator<Row>, PartialStats> {
        @Override
        public Iterator<PartialStats> call(Iterator<Row> rows) {
            if (!rows.hasNext()) {
                return List.of(PartialStats.empty()).iterator();
            }
            TaskContext task = TaskContext.get();
            if (task != null && !ComputeThreads.explicit() && !"driver".equals(org.apache.spark.SparkEnv.get().executorId())) {
                // An executor's task gets spark.task.cpus cores; ONNX Runtime and the kernels would otherwise take every
                // core of the machine in every task at once. (In local mode the driver's JVM runs the tasks: its setting
                // stays the user's.)
                ComputeThreads.set(task.cpus());
            }
            FeatureNetwork.Session session = ExecutorSessions.borrow(network, channels, height, width, device);
            boolean ok = false;
            try {
                PartialStats p = accumulate(rows, session, task);
                ok = true;
                return List.of(p).iterator();
            } finally {
                if (ok) {
                    ExecutorSessions.giveBack(network, channels, height, width, device, session);
                } else {
                    session.close();
                }
            }
        }

        private PartialStats accumulate(Iterator<Row> rows, FeatureNetwork.Session session, TaskContext task) {
            int len = channels * height * width;
            FloatMatrix batch = new FloatMatrix(BATCH, len);
            int inBatch = 0;
            long images = 0;
            long skipped = 0;
            List<String> named = new ArrayList<>();
            CovarianceAccumulator acc = null;
            while (rows.hasNext()) {
                if (task != null) {
                    // A killed attempt (a speculative duplicate, a cancelled job) stops here, not after its partition.
                    task.killTaskIfInterrupted();
                }
                Row row = rows.next();
                String path = row.getString(0);
                byte[] content = row.getAs(1);
                images++;
                String problem;
                try {
                    ImageFolder.Image img = ImageFolder.decode(content, fileName(path), color);
                    if (img.width() == width && img.height() == height) {
                        System.arraycopy(img.pixels(), 0, batch.data(), inBatch * len, len);
                        inBatch++;
                        problem = null;
                    } else {
                        problem = "image is " + img.width() + "x" + img.height() + " but " + firstName + " is " + width + "x"
                                + height + "; every image must have the same size";
                    }
                } catch (InvalidInputException e) {
                    problem = e.reason();
                }
                if (problem != null) {
                    skipped++;
                    named.add(path + ": " + problem);
                    named.sort(null);
                    if (named.size() > PartialStats.NAMED_SKIPS) {
                        named.remove(named.size() - 1);
                    }
                }
                if (inBatch == BATCH || !rows.hasNext() && inBatch > 0) {
                    FloatMatrix x = inBatch == BATCH ? batch : new FloatMatrix(inBatch, len,
                            java.util.Arrays.copyOf(batch.data(), inBatch * len));
                    FloatMatrix features = session.run(x, true, false).features();
                    if (acc == null) {
                        acc = new CovarianceAccumulator(features.cols());
                    }
                    acc.add(features);
                    inBatch = 0;
                }
            }
            return new PartialStats(images, skipped, named, acc, session.featureTag());
        }
    }
}
