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
        return compute(List.of(Objects.requireNonNull(request, "request"))).get(0);
    }

    /** The requests in turn on one session: the executors and the sessions they keep serve every source. */
    @Override
    public List<Result> compute(List<Request> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        String master = requests.get(0).master();
        for (Request r : requests) {
            if (!Objects.equals(master, r.master())) {
                throw new IllegalArgumentException("requests on one session name one master, got " + master + " and " + r.master());
            }
        }
        SparkSession.Builder b = SparkSession.builder().appName("ganeval " + requests.stream().map(Request::source)
                .collect(Collectors.joining(" ")));
        if (master != null) {
            b.master(master).config("spark.ui.enabled", "false");
            int cores = localCores(master);
            if (cores > 0) {
                // One task at a time with every core: one session whose ONNX Runtime uses them all took 0.07 s an
                // Inception image here, a single-threaded session per core 0.09 s (100 images, 2 cores).
                b.config("spark.task.cpus", String.valueOf(cores));
            }
            if (requests.stream().anyMatch(Request::rows)) {
                // The rows come back whole; Request.maxRows, not Spark's 1 GiB default, bounds them.
                b.config("spark.driver.maxResultSize", "0");
            }
        }
        SparkSession spark = b.getOrCreate();
        try {
            List<Result> out = new ArrayList<>();
            for (Request r : requests) {
                out.add(compute(spark, r));
            }
            return out;
        } finally {
            if (master != null) {
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
        if (request.rows() && listed.length > request.maxRows()) {
            // Known before any image is read: refused now, not after hours of features.
            throw tooManyRows(request, listed.length + " images");
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

    private static InvalidInputException tooManyRows(Request request, String what) {
        return new InvalidInputException(null, request.source() + ": " + what + ", but at most " + request.maxRows()
                + " may bring their " + (request.features() ? "feature rows" : "") + (request.features() && request.logits()
                ? " and " : "") + (request.logits() ? "logits" : "") + " to the driver for the metrics that need every row; "
                + "raise the cap (--driver-rows) if the driver has the memory (about " + (request.features() ? "8 KiB" : "4 KiB")
                + " an Inception image), or score FID alone, which needs only the statistics");
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
        // inputFiles() gives URL-encoded paths ("img%20001.png"); Path(String) would escape the % once more.
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(java.net.URI.create(path));
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
        String networkName;
        String protocol;
        String logitsTag;
        int dim;
        FeatureNetwork opened = network.open(name -> network.path());
        if (request.logits() && !opened.givesLogits()) {
            throw new InvalidInputException(null, network + " gives no class logits, which the metrics asked for need (an ONNX "
                    + "network: name its logits output)");
        }
        try (FeatureNetwork.Session check = opened.open(channels, first.height(), first.width(), request.device(),
                request.logits())) {
            // The driver's warnings name the user's files; the executors' would name Spark's copies of them.
            warnings = check.warnings();
            networkName = opened.name();
            protocol = check.protocol();
            logitsTag = request.logits() ? check.logitsTag() : null;
            // The features' width sizes the partials the merge tree carries (a d × d scatter each).
            float[] pixels = first.pixels();
            dim = check.run(new dev.ganeval.core.linalg.FloatMatrix(1, pixels.length, pixels), true, false).features().cols();
        }
        if (network.path() != null && !shipped(spark, network.path())) {
            spark.sparkContext().addFile(network.path().toString());
        }
        JavaRDD<Row> images = rows;
        if (request.partitions() > 0) {
            images = images.repartition(request.partitions());
        }
        PartitionJob job = new PartitionJob(network, request.color(), channels, first.height(), first.width(),
                request.device(), fileName(firstPath).toString(), request.features(), request.logits());
        int partitions = images.getNumPartitions();
        PartialStats all;
        try {
            all = images.mapPartitions(job).treeReduce(PartialStats::merge, depth(partitions, dim));
        } catch (Exception e) {  // Scala throws the checked SparkException undeclared
            // A task's bad-input error (a file that vanished, a network that cannot load on an executor) keeps its
            // message; the job's wrapping only says that the stage failed.
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof InvalidInputException bad) {
                    throw new InvalidInputException(null, bad.getMessage() + " (on an executor; the Spark job failed)", e);
                }
            }
            if (request.rows() && String.valueOf(e.getMessage()).contains("spark.driver.maxResultSize")) {
                throw new InvalidInputException(null, request.source() + ": the rows asked for are more than the driver takes "
                        + "(spark.driver.maxResultSize): raise it in the job's configuration, or lower --driver-rows", e);
            }
            throw SparkStatistics.<RuntimeException>unchecked(e);
        }
        CovarianceAccumulator acc = all.accumulator();
        long used = acc == null ? 0 : acc.count();
        if (used < 2) {
            throw new InvalidInputException(null, request.source() + ": a covariance needs at least 2 images, " + used
                    + " of " + all.images + " could be used" + (all.firstSkipped.isEmpty() ? "" : "; " + all.firstSkipped.get(0)));
        }
        if (request.rows() && used > request.maxRows()) {
            throw tooManyRows(request, used + " images were used");
        }
        GaussianStats stats = GaussianStats.of(acc.count(), acc.mean(), acc.covariance());
        FloatMatrix features = null;
        FloatMatrix logits = null;
        if (request.rows()) {
            // Path order: the order ganeval reads a folder in on one machine, so that metrics drawing subsets by index
            // (KID) or splitting in order (IS) see the rows one machine would.
            PartialStats.Rows back = all.rows.sorted();
            features = request.features() ? new FloatMatrix((int) used, back.featureCols(), back.features()) : null;
            logits = request.logits() ? new FloatMatrix((int) used, back.logitCols(), back.logits()) : null;
        }
        return new Result(stats, all.images, all.skipped, all.firstSkipped, all.featureTag, partitions, warnings,
                Duration.ofNanos(System.nanoTime() - start), networkName, protocol, features, logits, logitsTag);
    }

    /** Whether {@code file} was shipped to the executors already (the other side of a score): Spark refuses it twice. */
    private static boolean shipped(SparkSession spark, Path file) {
        String uri = file.toAbsolutePath().normalize().toUri().toString();
        return scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().listFiles()).stream()
                .anyMatch(f -> f.equals(uri) || f.replaceFirst("^file:/+", "/").equals(file.toAbsolutePath().normalize().toString()));
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

    /** What the partials the driver merges last may take together: a quarter of Spark's 1 GiB result cap. */
    static final long DRIVER_PARTIALS_BYTES = 256L << 20;
    private static final int MAX_DEPTH = 30;

    /**
     * Levels of the merge tree: the shallowest (at least 2 beyond 4 partitions, 1 up to 4) whose partials left for the
     * driver, each a d × d scatter in float64 (33.5 MB at d = 2,048), fit in {@link #DRIVER_PARTIALS_BYTES}; where no
     * depth can (a handful of partitions of very wide features), the one that leaves the fewest. At 1,280 partitions:
     * 2 levels for the embedded network's 256-d features (35 partials, 18 MB), 4 for Inception's 2,048-d (5 partials,
     * 168 MB; at 2 its 35 partials' 1.17 GB passed spark.driver.maxResultSize's default and failed the job).
     */
    static int depth(int partitions, int dim) {
        long partial = 8L * dim * dim + 8L * dim + 64;
        int best = partitions <= 4 ? 1 : 2;
        for (int depth = best; depth <= MAX_DEPTH; depth++) {
            long left = partialsAtTheDriver(partitions, depth);
            if (left * partial <= DRIVER_PARTIALS_BYTES) {
                return depth;
            }
            if (left < partialsAtTheDriver(partitions, best)) {
                best = depth;
            }
        }
        return best;
    }

    /**
     * How many partials Spark's treeReduce leaves for the driver at a depth: RDD.treeAggregate's arithmetic, scale =
     * max(⌈n^(1/depth)⌉, 2), then while n > scale + ⌈n / scale⌉ the partitions are merged down by scale.
     */
    static long partialsAtTheDriver(int partitions, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(partitions, 1.0 / depth)), 2);
        long n = partitions;
        while (n > scale + (long) Math.ceil((double) n / scale)) {
            n /= scale;
        }
        return n;
    }

    /** The file name of a Hadoop path or URI, for decoder messages (the full path is in the skip list). */
    static Path fileName(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return Path.of(name.isEmpty() ? path : name);
    }

    /** What each partition runs: decode, batch, forward, accumulate. */
    private record PartitionJob(NetworkSpec network, ImageFolder.Color color, int channels, int height, int width, Device device,
                                String firstName, boolean features, boolean logits)
            implements FlatMapFunction<Iterator<Row>, PartialStats> {
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
            FeatureNetwork.Session session = ExecutorSessions.borrow(network, channels, height, width, device, logits);
            boolean ok = false;
            try {
                PartialStats p = accumulate(rows, session, task);
                ok = true;
                return List.of(p).iterator();
            } finally {
                if (ok) {
                    ExecutorSessions.giveBack(network, channels, height, width, device, logits, session);
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
            boolean keep = features || logits;
            List<String> batchPaths = new ArrayList<>();
            List<String> paths = keep ? new ArrayList<>() : null;
            List<float[]> featureParts = new ArrayList<>();
            List<float[]> logitParts = new ArrayList<>();
            int featureCols = 0;
            int logitCols = 0;
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
                        if (keep) {
                            batchPaths.add(path);
                        }
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
                    FeatureNetwork.Outputs out = session.run(x, true, logits);
                    FloatMatrix f = out.features();
                    if (acc == null) {
                        acc = new CovarianceAccumulator(f.cols());
                    }
                    acc.add(f);
                    if (keep) {
                        paths.addAll(batchPaths);
                        batchPaths.clear();
                    }
                    if (features) {
                        featureCols = f.cols();
                        featureParts.add(java.util.Arrays.copyOf(f.data(), f.rows() * f.cols()));
                    }
                    if (logits) {
                        logitCols = out.logits().cols();
                        logitParts.add(java.util.Arrays.copyOf(out.logits().data(), out.logits().rows() * logitCols));
                    }
                    inBatch = 0;
                }
            }
            PartialStats.Rows kept = !keep || paths.isEmpty() ? null : new PartialStats.Rows(paths.toArray(String[]::new),
                    features ? concat(featureParts) : null, featureCols, logits ? concat(logitParts) : null, logitCols);
            return new PartialStats(images, skipped, named, acc, session.featureTag(), kept);
        }

        private static float[] concat(List<float[]> parts) {
            float[] out = new float[parts.stream().mapToInt(a -> a.length).sum()];
            int at = 0;
            for (float[] a : parts) {
                System.arraycopy(a, 0, out, at, a.length);
                at += a.length;
            }
            return out;
        }
    }
}
