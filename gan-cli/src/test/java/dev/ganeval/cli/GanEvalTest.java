package dev.ganeval.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanEvalTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GanEval.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** As a user runs it: {@link GanEval#main} in a JVM of its own, stdout and stderr read from the process. */
    static Run runProcess(String... args) throws java.io.IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), GanEval.class.getName()));
        cmd.addAll(java.util.List.of(args));
        java.io.File err = java.io.File.createTempFile("ganeval", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int code = p.waitFor();
            return new Run(code, out, java.nio.file.Files.readString(err.toPath()));
        } finally {
            err.delete();
        }
    }

    @Test
    void aReportReachesStdoutWhenRunAsAProgram() throws Exception {
        // A report printed without a line-ending println must still be flushed before the JVM exits.
        Run r = runProcess("score", "mnist:test", "mnist:test", "--limit", "300", "--metrics", "fid");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("FID[mnist-mlp]") && r.out().contains("\ntime "), r.out() + r.err());
    }

    @Test
    void absurdThreadCountsAreRefusedBeforeAnyWork() {
        Run r = run("score", "mnist:test", "mnist:test", "--threads", "1000");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("ganeval: --threads must be at most " + 4 * Runtime.getRuntime().availableProcessors()),
                r.err());
        dev.ganeval.core.linalg.ComputeThreads.reset();
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("ganeval "), v.out());
        Run h = run("knn", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--test-rows"), h.out());
    }

    @Test
    void badUsageExitsTwoWithOneReadableLine() {
        Run none = run();
        assertEquals(2, none.code());
        assertEquals("ganeval: a subcommand is required (see 'ganeval --help')", none.err().strip());
        Run unknown = run("knn", "--no-such-option");
        assertEquals(2, unknown.code());
        assertEquals("ganeval: unknown option '--no-such-option' (see 'ganeval knn --help')", unknown.err().strip());
        // Typos get the nearest names; the words after an unknown option are not listed with it.
        Run typo = run("score", "a", "b", "--limt", "3");
        assertEquals(2, typo.code());
        assertEquals("ganeval: unknown option '--limt'; did you mean --limit? (see 'ganeval score --help')", typo.err().strip());
        Run command = run("scroe", "a", "b");
        assertEquals(2, command.code());
        assertEquals("ganeval: unknown command 'scroe'; did you mean score? (see 'ganeval --help')", command.err().strip());
        Run extra = run("score", "a", "b", "c");
        assertEquals(2, extra.code());
        assertEquals("ganeval: unexpected argument 'c' (see 'ganeval score --help')", extra.err().strip());
        Run notANumber = run("train", "--out", "x", "--pieces", "five");
        assertEquals(2, notANumber.code());
        assertEquals("ganeval: Invalid value for option '--pieces': 'five' is not an int (see 'ganeval train --help')",
                notANumber.err().strip());
        Run threads = run("knn", "--threads", "0");
        assertEquals(2, threads.code());
        assertEquals("ganeval: --threads must be at least 1, got 0 (see 'ganeval knn --help')", threads.err().strip());
        Run bad = run("knn", "--test-rows", "0");
        assertEquals(2, bad.code());
        assertEquals("ganeval: --test-rows must be between 1 and 10000, got 0", bad.err().strip());
    }

    @Test
    void pathsThatCannotBeWrittenExitTwoWithThePathAndTheProblem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path samples = tmp.resolve("s.npy");
        float[] pixels = new float[100 * 784];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        dev.ganeval.core.data.Npy.write(samples, dev.ganeval.core.data.NpyArray.ofFloats(pixels, 100, 28, 28));
        java.nio.file.Path missing = tmp.resolve("no-such-folder").resolve("stats.npz");
        Run stats = run("stats", samples.toString(), missing.toString());
        assertEquals(2, stats.code(), stats.err());
        assertEquals("ganeval: " + missing + ": cannot be written: the folder " + missing.getParent() + " does not exist; create it "
                + "or choose another path", stats.err().strip());

        java.nio.file.Path file = java.nio.file.Files.createFile(tmp.resolve("a-file"));
        Run train = run("train", "--data", samples.toString(), "--out", file.resolve("run").toString(), "--epochs", "1");
        assertEquals(2, train.code(), train.err());
        assertEquals(1, train.err().strip().lines().count(), train.err());
        assertTrue(train.err().startsWith("ganeval: " + file), train.err());
        assertTrue(!train.err().contains("Exception"), train.err());

        assertEquals("x.npz: permission denied", GanEval.describe(new java.nio.file.AccessDeniedException("x.npz")));
        assertEquals("out: not a folder", GanEval.describe(new java.nio.file.NotDirectoryException("out")));
    }

    @Test
    void knnClassifiesMnistDigits() {
        Run r = run("knn", "--test-rows", "500");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("1-NN test error \\(Euclidean\\)\\s+(\\d+) / 500").matcher(r.out());
        assertTrue(m.find(), r.out());
        int errors = Integer.parseInt(m.group(1));
        // The first 500 test digits are easier than the rest; anything above a few percent means broken distances.
        assertTrue(errors <= 25, "errors: " + errors);
    }

    @Test
    void demoTrainsBrieflyAndPrintsTheScoreTable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        Run r = run("demo", "--epochs", "1", "--train-rows", "500", "--samples", "1000", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        for (String line : new String[] {"FID[mnist-mlp]", "KID[mnist-mlp]", "IS[mnist-mlp]", "PRDC[mnist-mlp]", "Parzen log-likelihood"}) {
            assertTrue(r.out().contains(line), r.out());
        }
        assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("samples.png")));
    }

    @Test
    void demoScoresTheShippedGeneratorFarAboveAnUntrainedOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        Run shipped = run("demo", "--samples", "2000", "--out", tmp.toString());
        assertEquals(0, shipped.code(), shipped.err());
        assertTrue(shipped.out().contains("shipped: "), shipped.out());
        Run untrained = run("demo", "--epochs", "1", "--train-rows", "100", "--samples", "2000", "--out", tmp.toString());
        assertEquals(0, untrained.code(), untrained.err());
        double fidShipped = ScoreCommandTest.value(shipped.out(), "FID[mnist-mlp]");
        double fidUntrained = ScoreCommandTest.value(untrained.out(), "FID[mnist-mlp]");
        double isShipped = ScoreCommandTest.value(shipped.out(), "IS[mnist-mlp]");
        double parzen = ScoreCommandTest.value(shipped.out(), "Parzen log-likelihood");
        // A trained generator draws digits: far closer to the test set than one step of training on 100 digits, a
        // class spread near the data's own (real test set: IS 9.3), and a Parzen likelihood well above zero.
        assertTrue(fidShipped < fidUntrained / 5, fidShipped + " vs " + fidUntrained);
        assertTrue(isShipped > 7, shipped.out());
        assertTrue(parzen > 100, shipped.out());
    }
}
