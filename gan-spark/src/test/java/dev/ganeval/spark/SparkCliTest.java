package dev.ganeval.spark;

import dev.ganeval.cli.GanEval;
import dev.ganeval.metrics.GaussianStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ganeval stats SRC OUT.npz --spark MASTER} against the same command on one machine. */
class SparkCliTest {
    record Run(int code, String out, String err) {}

    static Run ganeval(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GanEval.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statsOnSparkEqualStatsOnOneMachine(@TempDir Path dir) throws IOException {
        Path images = LocalSpark.images(dir.resolve("images"), 200, 28, false, 11);
        LocalSpark.session();  // the command's session is this JVM's local one
        Run one = ganeval("stats", images.toString(), dir.resolve("one.npz").toString(), "--gray", "--quiet");
        assertEquals(0, one.code(), one.err());
        Run spark = ganeval("stats", images.toString(), dir.resolve("spark.npz").toString(), "--gray", "--quiet",
                "--spark", "submit", "--partitions", "5");
        assertEquals(0, spark.code(), spark.err());
        assertTrue(spark.out().contains("n=200, d=") && spark.out().contains("spark on submit, 5 partitions"), spark.out());
        GaussianStats a = GaussianStats.readNpz(dir.resolve("one.npz"));
        GaussianStats b = GaussianStats.readNpz(dir.resolve("spark.npz"));
        assertEquals(a.count(), b.count());
        assertTrue(LocalSpark.relative(b.mean(), a.mean()) < 1e-12);
        assertTrue(LocalSpark.relative(b.covariance(), a.covariance()) < 1e-12);
    }

    @Test
    void imagesThatCannotBeUsedAreCountedAndNamedOnStderr(@TempDir Path dir) throws IOException {
        Path images = LocalSpark.images(dir.resolve("images"), 40, 28, false, 12);
        Files.writeString(images.resolve("img00007-bad.png"), "not a PNG");
        LocalSpark.session();
        Run r = ganeval("stats", images.toString(), dir.resolve("s.npz").toString(), "--gray", "--quiet", "--spark", "submit");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("ganeval: warning: 1 of 41 images could not be used and are not in the statistics; "),
                r.err());
        assertTrue(r.err().contains("img00007-bad.png: "), r.err());
        assertEquals(40, GaussianStats.readNpz(dir.resolve("s.npz")).count());
    }

    @Test
    void aNetworkTheImagesDoNotFitIsOneLine(@TempDir Path dir) {
        Path images = LocalSpark.images(dir.resolve("images"), 10, 32, false, 13);
        LocalSpark.session();
        Run r = ganeval("stats", images.toString(), dir.resolve("s.npz").toString(), "--gray", "--quiet", "--spark", "submit",
                "--network", "mnist-mlp");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("28x28"), r.err());
    }
}
