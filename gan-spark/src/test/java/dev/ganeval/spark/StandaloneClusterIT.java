package dev.ganeval.spark;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.weights.WeightsResolver;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.InceptionNetwork;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import dev.ganeval.metrics.features.InceptionProtocol;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone cluster on this machine: a master and two worker JVMs on 127.0.0.1 (each worker forks its own
 * executor JVM), the job submitted from this JVM in client mode, and one worker — with its executor — killed with
 * SIGKILL once the job is under way. Spark runs the lost tasks again on the other executor; the statistics must be one
 * machine's. No Spark distribution is needed: the workers' {@code SPARK_HOME/jars} links this test's class path.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;
    static final List<Process> daemons = new ArrayList<>();
    static String master;

    @BeforeAll
    static void cluster() throws Exception {
        Path home = sparkHome(tmp.resolve("spark-home"));
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        daemons.add(daemon(home, tmp.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort())));
        for (int i = 1; i <= 2; i++) {
            Path work = Files.createDirectories(tmp.resolve("work" + i));
            daemons.add(daemon(home, tmp.resolve("worker" + i + ".log"), "org.apache.spark.deploy.worker.Worker", master,
                    "--cores", "1", "--memory", "1g", "--host", "127.0.0.1", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", work.toString()));
        }
    }

    @AfterAll
    static void stop() {
        for (Process p : daemons) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aWorkerKilledMidJobLeavesTheStatisticsUnchanged() throws Exception {
        Path weights = Path.of("..", "testdata", "inception", "fid_inception_w16.pth").toAbsolutePath().normalize();
        Path images = LocalSpark.images(tmp.resolve("images"), 240, 40, true, 31);
        GaussianStats one = LocalSpark.singleMachine(images, ImageFolder.Color.RGB,
                InceptionNetwork.of(InceptionProtocol.PYTORCH_FID, WeightsResolver.builder().offline(true).build(), weights));

        SparkSession spark = SparkSession.builder().master(master).appName("gan-spark cluster test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.cores", "1")
                .config("spark.cores.max", "2")
                .config("spark.executor.memory", "768m")
                .config("spark.task.maxFailures", "4")
                .config("spark.network.timeout", "20s")
                .config("spark.network.timeoutInterval", "5s")
                .config("spark.executor.heartbeatInterval", "2s")
                .config("spark.executorEnv.ORT_DISABLE_TELEMETRY", "1")
                .config("spark.executorEnv.XDG_CACHE_HOME", tmp.resolve("executor-cache").toString())
                // ONNX Runtime unpacks its native library into java.io.tmpdir; a killed JVM leaves it there.
                .config("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + tmp)
                .getOrCreate();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger lost = new AtomicInteger();
        SparkListener killer = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof ExecutorLostFailure) {
                    lost.incrementAndGet();
                }
                // Once the first task is done, the other executor is busy with its next one: kill its worker.
                if (end.stageId() >= 0 && killed.compareAndSet(false, true)) {
                    Process worker = daemons.get(1);
                    worker.descendants().forEach(ProcessHandle::destroyForcibly);
                    worker.destroyForcibly();
                }
            }
        };
        try {
            awaitExecutors(spark, 2);
            spark.sparkContext().addSparkListener(killer);
            ClusterStatistics.Result r = SparkStatistics.compute(spark, new ClusterStatistics.Request(null, images.toString(),
                    ImageFolder.Color.RGB, (c, h, w) -> NetworkSpec.inception(InceptionProtocol.PYTORCH_FID, weights),
                    Device.CPU, 16));
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertTrue(killed.get(), "no worker was killed");
            assertTrue(lost.get() > 0, "no task was lost with the killed worker: the test did not test a failure");
            assertEquals(240, r.stats().count());
            assertEquals(0, r.skipped());
            assertTrue(LocalSpark.relative(r.stats().mean(), one.mean()) < 1e-12);
            assertTrue(LocalSpark.relative(r.stats().covariance(), one.covariance()) < 1e-12);
        } finally {
            spark.stop();
        }
    }

    private static void awaitExecutors(SparkSession spark, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        // The driver counts itself among the block managers.
        while (spark.sparkContext().getExecutorMemoryStatus().size() < n + 1) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the executors did not register in 90 s; see the logs in " + tmp);
            }
            Thread.sleep(200);
        }
    }

    /** A SPARK_HOME for the workers: {@code jars/} links (or, for class folders, packs) this JVM's class path. */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("conf"));
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = String.format("%03d-%s", i++, p.getFileName());
            if (Files.isDirectory(p)) {
                pack(p, jars.resolve(name + ".jar"));
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Files.createSymbolicLink(jars.resolve(name), p.toAbsolutePath());
            }
        }
        return home;
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                j.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, j);
                j.closeEntry();
            }
        }
    }

    private static Process daemon(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(System.getProperty("spark.jvm.flags").trim().split("\\s+")));
        cmd.addAll(List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp, "-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile"),
                "-cp", home.resolve("jars") + File.separator + "*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("ORT_DISABLE_TELEMETRY", "1");
        pb.environment().put("SPARK_LOCAL_DIRS", tmp.resolve("local").toString());
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
