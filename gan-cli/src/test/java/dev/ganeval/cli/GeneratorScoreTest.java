package dev.ganeval.cli;

import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.onnx.OnnxExport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scoring an ONNX generator directly: {@code --generator g.onnx --n N} or FAKE = g.onnx; --threads; progress bars. */
class GeneratorScoreTest {
    @TempDir
    static Path tmp;
    static Path generator;

    @BeforeAll
    static void exportAnUntrainedPaperGenerator() throws IOException {
        generator = tmp.resolve("g.onnx");
        OnnxExport.write(OnnxExport.generator(new ReferenceGan(GanConfig.mnistPaper(11), null)), generator);
    }

    @AfterEach
    void threadsBack() {
        ComputeThreads.reset();
    }

    @Test
    void aGeneratorIsScoredLikeAFolderOfItsSamples() {
        GanEvalTest.Run viaOption = GanEvalTest.run("score", "mnist:test", "--generator", generator.toString(), "--n", "600",
                "--limit", "600", "--metrics", "fid,is", "--json");
        assertEquals(0, viaOption.code(), viaOption.err());
        assertTrue(viaOption.out().contains("g.onnx (n=600 seed=2014 noise=uniform:1.73"), viaOption.out());
        var timings = java.util.regex.Pattern.compile("\"timings\": \\{[^}]*\"read\": [0-9.E-]+,[^}]*\"features\": [0-9.E-]+,"
                + "[^}]*\"fid\": [0-9.E-]+,[^}]*\"is\": [0-9.E-]+").matcher(viaOption.out());
        assertTrue(timings.find(), "per-step timings in the JSON: " + viaOption.out());
        GanEvalTest.Run viaFake = GanEvalTest.run("score", "mnist:test", generator.toString(), "--n", "600", "--limit", "600",
                "--threads", "1");
        assertEquals(0, viaFake.code(), viaFake.err());
        double fid = ScoreCommandTest.value(viaFake.out(), "FID[mnist-mlp]");
        assertTrue(viaOption.out().contains("\"value\": " + fid) || Math.abs(jsonFid(viaOption.out()) - fid) < 1e-3,
                viaOption.out() + "\n" + viaFake.out());
        GanEvalTest.Run otherSeed = GanEvalTest.run("score", "mnist:test", generator.toString(), "--n", "600", "--limit", "600",
                "--sample-seed", "7");
        assertEquals(0, otherSeed.code(), otherSeed.err());
        assertNotEquals(fid, ScoreCommandTest.value(otherSeed.out(), "FID[mnist-mlp]"));
        // An untrained generator is far from the digits.
        assertTrue(fid > 10, viaFake.out());
    }

    private static double jsonFid(String json) {
        var m = java.util.regex.Pattern.compile("\"name\": \"FID\",\\s*\"space\": \"[^\"]*\",\\s*\"value\": ([-0-9.E]+)").matcher(json);
        assertTrue(m.find(), json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void samplesGoOnlyIntoANewOrEmptyFolder() throws IOException {
        Path folder = tmp.resolve("drawn");
        GanEvalTest.Run first = GanEvalTest.run("sample", "--generator", generator.toString(), "--n", "6", "--out", folder.toString());
        assertEquals(0, first.code(), first.err());
        assertEquals(6, dev.ganeval.core.data.ImageFolder.images(folder).size());
        // A second, smaller draw would replace 3 of the 6 files and leave 3 of the first: refused before drawing.
        GanEvalTest.Run again = GanEvalTest.run("sample", "--generator", generator.toString(), "--n", "3", "--out", folder.toString());
        assertEquals(2, again.code());
        assertEquals("ganeval: " + folder + ": already holds 6 images; samples go into a new or empty folder, so that scoring it "
                + "reads one draw: choose another --out or delete them", again.err().strip());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not an image");
        GanEvalTest.Run intoEmpty = GanEvalTest.run("sample", "--generator", generator.toString(), "--n", "3", "--out", empty.toString());
        assertEquals(0, intoEmpty.code(), intoEmpty.err());
        assertEquals(3, dev.ganeval.core.data.ImageFolder.images(empty).size());
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        GanEvalTest.Run onFile = GanEvalTest.run("sample", "--generator", generator.toString(), "--n", "3", "--out", file.toString());
        assertEquals(2, onFile.code());
        assertTrue(onFile.err().contains("exists and is not a folder"), onFile.err());
    }

    @Test
    void statsOfAGeneratorAreWritten() {
        Path out = tmp.resolve("g.npz");
        GanEvalTest.Run r = GanEvalTest.run("stats", generator.toString(), out.toString(), "--n", "300");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("n=300"), r.out());
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void badGeneratorUsageIsOneLine() throws IOException {
        GanEvalTest.Run both = GanEvalTest.run("score", "mnist:test", generator.toString(), "--generator", generator.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
        GanEvalTest.Run none = GanEvalTest.run("score", "mnist:test");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--generator"), none.err());
        GanEvalTest.Run range = GanEvalTest.run("score", "mnist:test", generator.toString(), "--pixel-range", "5,1");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("low,high"), range.err());
        GanEvalTest.Run noise = GanEvalTest.run("score", "mnist:test", generator.toString(), "--noise", "cauchy");
        assertEquals(2, noise.code());
        assertTrue(noise.err().contains("normal[:std]"), noise.err());
        GanEvalTest.Run n = GanEvalTest.run("score", "mnist:test", generator.toString(), "--n", "0");
        assertEquals(2, n.code());
        assertTrue(n.err().contains("--n"), n.err());
        Path notOnnx = Files.writeString(tmp.resolve("fake.onnx"), "not a model");
        GanEvalTest.Run corrupt = GanEvalTest.run("score", "mnist:test", notOnnx.toString());
        assertEquals(2, corrupt.code());
        assertTrue(corrupt.err().contains("fake.onnx"), corrupt.err());
        assertEquals(1, corrupt.err().strip().lines().count(), corrupt.err());
        GanEvalTest.Run threads = GanEvalTest.run("score", "mnist:test", generator.toString(), "--threads", "0");
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads"), threads.err());
    }

    @Test
    void samplingOptionsApplyOnlyWhereAGeneratorIsDrawn() throws IOException {
        GanEvalTest.Run data = GanEvalTest.run("score", "mnist:test", "mnist:train", "--n", "500");
        assertEquals(2, data.code());
        assertEquals("ganeval: --n applies to samples drawn from an ONNX generator (--generator, or an input ending in .onnx), "
                + "and mnist:train is data", data.err().strip());
        GanEvalTest.Run stats = GanEvalTest.run("stats", "mnist:test", tmp.resolve("t.npz").toString(), "--sample-seed", "3");
        assertEquals(2, stats.code());
        assertTrue(stats.err().startsWith("ganeval: --sample-seed applies to samples drawn"), stats.err());
        GanEvalTest.Run ckpt = GanEvalTest.run("sample", "--checkpoint", tmp.resolve("x.ckpt").toString(), "--out",
                tmp.resolve("x.npy").toString(), "--noise", "normal");
        assertEquals(2, ckpt.code());
        assertTrue(ckpt.err().startsWith("ganeval: --noise describes an ONNX generator; a checkpoint records its own noise"), ckpt.err());
        GanEvalTest.Run images = GanEvalTest.run("parzen", "--images", "mnist:train", "--pixel-range", "0,1");
        assertEquals(2, images.code());
        assertTrue(images.err().startsWith("ganeval: --pixel-range describes an ONNX generator"), images.err());
        // --generator is drawn whatever its file is called, and --n applies to it.
        Path renamed = Files.copy(generator, tmp.resolve("g.model"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        GanEvalTest.Run other = GanEvalTest.run("score", "mnist:test", "--generator", renamed.toString(), "--n", "300",
                "--metrics", "is", "--json");
        assertEquals(0, other.code(), other.err());
        assertTrue(other.out().contains("g.model (n=300 seed=2014"), other.out());
    }

    @Test
    void parzenDrivesAForeignGeneratorAsTold() {
        // The export records uniform noise; --noise overrides it, as for score and sample.
        String[] common = {"parzen", "--generator", generator.toString(), "--samples", "200", "--validation", "100", "--json"};
        GanEvalTest.Run recorded = GanEvalTest.run(common);
        GanEvalTest.Run normal = GanEvalTest.run(java.util.stream.Stream.concat(java.util.Arrays.stream(common),
                java.util.stream.Stream.of("--noise", "normal")).toArray(String[]::new));
        assertEquals(0, recorded.code(), recorded.err());
        assertEquals(0, normal.code(), normal.err());
        assertTrue(recorded.out().contains("noise=uniform") && normal.out().contains("noise=normal"), recorded.out() + normal.out());
        assertNotEquals(ScoreCommandTest.jsonNumber(recorded.out(), "value"), ScoreCommandTest.jsonNumber(normal.out(), "value"));
    }

    @Test
    void progressBarsAppearOnlyAfterASecondAndEndWithANewline() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(sw, true), "features", now::get);
        now.set(500_000_000L);
        bar.update(10, 100);
        assertEquals("", sw.toString(), "nothing in the first second");
        now.set(1_200_000_000L);
        bar.update(40, 100);
        assertTrue(sw.toString().contains("[############                  ]  40% 40/100 1.2 s"), sw.toString());
        int len = sw.toString().length();
        now.set(1_250_000_000L);
        bar.update(41, 100);
        assertEquals(len, sw.toString().length(), "at most ten redraws a second");
        now.set(2_000_000_000L);
        bar.update(100, 100);
        assertTrue(sw.toString().endsWith("100% 100/100 2.0 s" + System.lineSeparator()), sw.toString());

        StringWriter quick = new StringWriter();
        ProgressBar fast = new ProgressBar(new PrintWriter(quick, true), "x", now::get);
        fast.update(100, 100);
        assertEquals("", quick.toString(), "a task done within a second draws nothing");
    }
}
