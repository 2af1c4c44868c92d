package dev.ganeval.spark;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.evaluation.ClusterStatistics;
import dev.ganeval.metrics.evaluation.FeatureNetworks;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * However the images are split into partitions — any number, any sizes, empty ones, any order — the merged statistics
 * are one machine's to rounding. The images come as a table (path, content), split by the property.
 */
class PartitioningPropertyTest {
    static final int N = 150;
    static List<Row> rows;
    static GaussianStats single;

    @BeforeContainer
    static void images() throws IOException {
        Path dir = Files.createTempDirectory("gan-spark-partitions");
        LocalSpark.images(dir, N, 28, false, 21);
        single = LocalSpark.singleMachine(dir, ImageFolder.Color.GRAY, FeatureNetworks.named("mnist-mlp"));
        rows = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                rows.add(RowFactory.create(f.toString(), Files.readAllBytes(f)));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Property(tries = 12)
    void anyPartitioningGivesOneMachinesStatistics(@ForAll @IntRange(min = 1, max = 9) int partitions, @ForAll long seed) {
        Random r = new Random(seed);
        List<Row> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, r);
        // Random cut points: partitions of any size, empty ones included.
        int[] cuts = r.ints(partitions - 1, 0, N + 1).sorted().toArray();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        List<JavaRDD<Row>> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : N;
            parts.add(jsc.parallelize(new ArrayList<>(shuffled.subList(from, to)), 1));
            from = to;
        }
        JavaRDD<Row> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
        StructType schema = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
        Dataset<Row> table = LocalSpark.session().createDataFrame(all, schema);
        ClusterStatistics.Result res = SparkStatistics.compute(LocalSpark.session(), table, new ClusterStatistics.Request(null,
                "table", ImageFolder.Color.GRAY, (c, h, w) -> NetworkSpec.mnistMlp(), dev.ganeval.core.onnx.Device.CPU, 0));
        assertEquals(partitions, res.partitions());
        assertEquals(N, res.stats().count());
        assertTrue(LocalSpark.relative(res.stats().mean(), single.mean()) < 1e-12);
        assertTrue(LocalSpark.relative(res.stats().covariance(), single.covariance()) < 1e-12);
    }
}
