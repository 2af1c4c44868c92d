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

/** {@code ganeval stats ... --spark MASTER} and {@code ganeval score ... --spark MASTER} against the same commands on one machine. */
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

    /** A metric's value in {@code score --json}'s output. */
    static double value(String json, String metric) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"metric\"\\s*:\\s*\"" + metric
                + "\".*?\"value\"\\s*:\\s*(-?[0-9.eE+-]+)", java.util.regex.Pattern.DOTALL).matcher(json);
        assertTrue(m.find(), metric + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void scoreOnSparkGivesOneMachinesFidKidIsAndPrdc(@TempDir Path dir) {
        Path real = LocalSpark.mnist(dir.resolve("real"), 0, 240);
        Path fake = LocalSpark.mnist(dir.resolve("fake"), 240, 200);
        LocalSpark.session();
        String[] common = {"score", real.toString(), fake.toString(), "--gray", "--quiet", "--json", "--metrics",
            "fid,kid,is,prdc", "--kid-subset-size", "100", "--seed", "3"};
        Run one = ganeval(common);
        assertEquals(0, one.code(), one.err());
        String[] onSpark = java.util.Arrays.copyOf(common, common.length + 4);
        System.arraycopy(new String[] {"--spark", "submit", "--partitions", "3"}, 0, onSpark, common.length, 4);
        Run spark = ganeval(onSpark);
        assertEquals(0, spark.code(), spark.err());
        // The rows come back in path order, as one machine reads the folders: KID's subsets, IS's splits and PRDC's
        // neighbours see the same rows, so only the statistics' merge order (FID) and the features' last bits can differ.
        // mnist-mlp's near-singular covariances turn the merge order's rounding (statistics equal to 1e-12, checked in
        // SparkStatisticsTest) into up to ~2e-8 of FID; 1e-6 still fails on any real difference.
        assertEquals(value(one.out(), "fid"), value(spark.out(), "fid"), 1e-6 * value(one.out(), "fid"));
        for (String m : new String[] {"kid", "is", "prdc"}) {
            assertEquals(value(one.out(), m), value(spark.out(), m), 1e-6 * Math.abs(value(one.out(), m)) + 1e-12, m);
        }
        assertTrue(spark.out().contains("\"samples\": 240") || spark.out().contains("\"samples\":240"), spark.out());
        assertTrue(spark.out().contains("mnist-mlp"), spark.out());
    }

    @Test
    void fidOnSparkAgainstAStatisticsFile(@TempDir Path dir) throws IOException {
        Path real = LocalSpark.mnist(dir.resolve("real"), 0, 150);
        Path fake = LocalSpark.mnist(dir.resolve("fake"), 150, 150);
        LocalSpark.session();
        Run stats = ganeval("stats", real.toString(), dir.resolve("real.npz").toString(), "--gray", "--quiet");
        assertEquals(0, stats.code(), stats.err());
        Run one = ganeval("score", dir.resolve("real.npz").toString(), fake.toString(), "--gray", "--quiet", "--json");
        Run spark = ganeval("score", dir.resolve("real.npz").toString(), fake.toString(), "--gray", "--quiet", "--json",
                "--spark", "submit");
        assertEquals(0, spark.code(), spark.err());
        assertEquals(value(one.out(), "fid"), value(spark.out(), "fid"), 1e-6 * value(one.out(), "fid"));
        // An image the job cannot use is left out of the score and said, on stderr and in the JSON's warnings.
        Files.writeString(fake.resolve("digit00001-bad.png"), "not a PNG");
        Run withBad = ganeval("score", dir.resolve("real.npz").toString(), fake.toString(), "--gray", "--quiet", "--json",
                "--spark", "submit");
        assertEquals(0, withBad.code(), withBad.err());
        String said = fake + ": 1 of 151 images could not be used and are left out; ";
        assertTrue(withBad.err().contains("ganeval: warning: " + said), withBad.err());
        assertTrue(withBad.out().contains(said), withBad.out());
        assertEquals(value(one.out(), "fid"), value(withBad.out(), "fid"), 1e-6 * value(one.out(), "fid"));
    }

    @Test
    void whatSparkCannotScoreIsOneLineBeforeAnyImageIsRead(@TempDir Path dir) {
        Path real = LocalSpark.images(dir.resolve("real"), 30, 28, false, 21);
        Path fake = LocalSpark.images(dir.resolve("fake"), 30, 28, false, 22);
        LocalSpark.session();
        String[][] cases = {
            {"--metrics", "kid", "--driver-rows", "20", "--kid-subset-size", "10",
                "30 images, but at most 20 may bring their feature rows to the driver"},
            {"--metrics", "parzen", "not the samples themselves, which parzen needs: score it on one machine"},
            {"--metrics", "fid", "--limit", "10", "--limit takes the first rows of each side on one machine"},
            {"--metrics", "fid", "--driver-rows", "1", "--driver-rows must be at least 2"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length - 1 + 7];
            String[] head = {"score", real.toString(), fake.toString(), "--gray", "--quiet", "--spark", "submit"};
            System.arraycopy(head, 0, args, 0, head.length);
            System.arraycopy(c, 0, args, head.length, c.length - 1);
            Run r = ganeval(args);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[c.length - 1]), r.err());
        }
        Run noSpark = ganeval("score", real.toString(), fake.toString(), "--gray", "--quiet", "--driver-rows", "5");
        assertEquals(2, noSpark.code(), noSpark.err());
        assertTrue(noSpark.err().contains("--driver-rows applies to --spark"), noSpark.err());
    }

    @Test
    void imagesThatCannotBeUsedAreCountedAndNamedOnStderr(@TempDir Path dir) throws IOException {
        Path images = LocalSpark.images(dir.resolve("images"), 40, 28, false, 12);
        Files.writeString(images.resolve("img00007-bad.png"), "not a PNG");
        LocalSpark.session();
        Run r = ganeval("stats", images.toString(), dir.resolve("s.npz").toString(), "--gray", "--quiet", "--spark", "submit");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("ganeval: warning: 1 of 41 images could not be used and are left out; "),
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
