import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.FeatureStatistics;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.Evaluation;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import dev.ganeval.metrics.features.InceptionProtocol;
import dev.ganeval.spark.SparkStatistics;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/**
 * The Spark job's own cost per image, without the start-up that spark-scale.sh's command-line timings include: in one
 * warm JVM, ganeval stats's pipeline (the evaluation layer) and SparkStatistics on a local[N] session take turns on the
 * same images, ROUNDS times; the first round warms the JIT, the session and the executor's network.
 * Run by gan-bench/spark-scale.sh (a single-file program on gan-spark's class path):
 *   java OPTIONS -cp CLASSPATH gan-bench/spark/SparkWarmOverhead.java WEIGHTS.pth IMAGES_FOLDER CORES ROUNDS
 */
public class SparkWarmOverhead {
    public static void main(String[] args) {
        Path weights = Path.of(args[0]);
        String folder = args[1];
        int cores = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        SparkSession spark = SparkSession.builder().master("local[" + cores + "]").config("spark.task.cpus", String.valueOf(cores))
                .config("spark.ui.enabled", "false").getOrCreate();
        NetworkSpec spec = NetworkSpec.inception(InceptionProtocol.PYTORCH_FID, weights);
        for (int round = 1; round <= rounds; round++) {
            long t = System.nanoTime();
            Evaluation.builder().fake(SampleSource.parse(folder, ImageFolder.Color.RGB)).metric(new FeatureStatistics())
                    .network(spec.open(name -> weights)).device(Device.CPU).run();
            double one = (System.nanoTime() - t) / 1e9;
            t = System.nanoTime();
            ClusterStatistics.Result r = SparkStatistics.compute(spark, new ClusterStatistics.Request(null, folder,
                    ImageFolder.Color.RGB, (c, h, w) -> spec, Device.CPU, 0));
            double onSpark = (System.nanoTime() - t) / 1e9;
            System.out.printf("round %d%s: one machine %.1f s, spark local[%d] job %.1f s (%d partitions): %.2fx%n", round,
                    round == 1 ? " (warm-up)" : "", one, cores, onSpark, r.partitions(), onSpark / one);
        }
        spark.stop();
    }
}
