package dev.ganeval.cli;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreCommandTest {
    @TempDir
    static Path tmp;
    static Path folderA;
    static Path folderB;

    /** MNIST test digits 0..n-1 (from, from + n) written as 8-bit gray PNGs. */
    static Path pngFolder(String name, int from, int n) throws IOException {
        FloatMatrix x = Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images());
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                img.getRaster().setSample(p % 28, p / 28, 0, Math.round(x.get(from + i, p) * 255));
            }
            ImageIO.write(img, "png", dir.resolve(String.format("%05d.png", i)).toFile());
        }
        return dir;
    }

    @BeforeAll
    static void folders() throws IOException {
        folderA = pngFolder("a", 0, 600);
        folderB = pngFolder("b", 600, 600);
    }

    static double value(String out, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+(-?[0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }

    /** Each case is two options with their values and the start of the one line {@code score a b --gray ...} must exit 2 with. */
    private static void assertEachRefused(String a, String b, String[][] cases) {
        for (String[] c : cases) {
            GanEvalTest.Run r = GanEvalTest.run("score", a, b, "--gray", c[0], c[1], c[2], c[3]);
            assertEquals(2, r.code(), String.join(" ", c));
            assertTrue(r.err().startsWith(c[4]) && r.err().strip().lines().count() == 1, r.err());
        }
    }

    @Test
    void countsOutOfRangeAreRefusedByName() {
        String a = folderA.toString();
        String b = folderB.toString();
        String[][] cases = {
            {"--limit", "0", "--metrics", "fid", "ganeval: --limit must be at least 2"},
            {"--limit", "-5", "--metrics", "fid", "ganeval: --limit must be at least 2"},
            {"--kid-subset-size", "1", "--metrics", "kid", "ganeval: --kid-subset-size must be at least 2"},
            {"--size", "0", "--network", "net.onnx", "ganeval: --size must be between 1 and 4096 pixels, got 0"},
        };
        assertEachRefused(a, b, cases);
        // The smallest accepted limit is used as given.
        GanEvalTest.Run two = GanEvalTest.run("score", a, b, "--gray", "--limit", "2", "--metrics", "wasserstein", "--json");
        assertEquals(0, two.code(), two.err());
        assertEquals(2, two.out().split("\"samples\": 2,", -1).length - 1, two.out());
    }

    @Test
    void optionsForMetricsOrNetworksNotInUseAreRefusedNotIgnored() {
        String a = folderA.toString();
        String b = folderB.toString();
        String[][] cases = {
            {"--metrics", "fid", "--seed", "3", "ganeval: --seed seeds the metrics that draw at random (kid, wasserstein, fid-inf, c2st, wgan) and the samples --html shows"},
            {"--metrics", "fid,is", "--kid-subset-size", "10", "ganeval: --kid-subset-size sets KID's subsets; add kid"},
            {"--metrics", "fid", "--discriminator", "d.onnx", "ganeval: --discriminator is the discriminator for --metrics ratio"},
            {"--metrics", "is", "--logits-output", "out", "ganeval: --logits-output names the class-logits output of --network"},
            {"--metrics", "fid", "--output", "pool", "ganeval: --output applies to an ONNX --network; the embedded MNIST network"},
            {"--metrics", "fid", "--size", "64", "ganeval: --size applies to an ONNX --network"},
            {"--metrics", "fid", "--offline", "--features", "ganeval: --offline applies to networks whose weights are downloaded"},
            {"--metrics", "fid", "--protocol", "tf", "ganeval: --protocol sets how images are resized"},
        };
        assertEachRefused(a, b, cases);
        // Where the option is used, it is taken.
        GanEvalTest.Run seeded = GanEvalTest.run("score", a, b, "--gray", "--metrics", "wasserstein", "--seed", "3");
        assertEquals(0, seeded.code(), seeded.err());
        GanEvalTest.Run other = GanEvalTest.run("score", a, b, "--gray", "--metrics", "wasserstein", "--seed", "4");
        assertTrue(value(seeded.out(), "W2 (sliced)[mnist-mlp]") != value(other.out(), "W2 (sliced)[mnist-mlp]"),
                seeded.out() + other.out());
        GanEvalTest.Run stats = GanEvalTest.run("stats", a, tmp.resolve("a.npz").toString(), "--gray", "--output", "pool");
        assertEquals(2, stats.code());
        assertTrue(stats.err().startsWith("ganeval: --output applies to an ONNX --network"), stats.err());
        Path npz = tmp.resolve("b.npz");
        assertEquals(0, GanEvalTest.run("stats", b, npz.toString(), "--gray").code());
        GanEvalTest.Run limit = GanEvalTest.run("score", npz.toString(), npz.toString(), "--limit", "10");
        assertEquals(2, limit.code());
        assertEquals("ganeval: --limit takes the first rows of each side, and statistics files have none", limit.err().strip());
    }

    @Test
    void parzenTakesTheSigmaOptionsOfTheParzenCommand() {
        String[] args = {"score", "mnist:test", "mnist:train", "--limit", "1000", "--metrics", "parzen", "--json"};
        GanEvalTest.Run grid = GanEvalTest.run(args);
        assertEquals(0, grid.code(), grid.err());
        Matcher chosen = Pattern.compile("\"sigma\": ([0-9.E-]+)").matcher(grid.out());
        assertTrue(chosen.find(), grid.out());
        // The σ the paper's grid chose, fixed by hand: the same figure on the same held-out rows.
        String[] fixedArgs = java.util.Arrays.copyOf(args, args.length + 2);
        fixedArgs[args.length] = "--sigma";
        fixedArgs[args.length + 1] = chosen.group(1);
        GanEvalTest.Run fixed = GanEvalTest.run(fixedArgs);
        assertEquals(0, fixed.code(), fixed.err());
        // Equal to the last digit: ExpSums' exponentials round the same way before and after the JIT compiles them.
        assertEquals(jsonNumber(grid.out(), "value"), jsonNumber(fixed.out(), "value"));
        assertEquals(jsonNumber(grid.out(), "uncertainty"), jsonNumber(fixed.out(), "uncertainty"));
        GanEvalTest.Run coarse = GanEvalTest.run("score", "mnist:test", "mnist:train", "--limit", "1000", "--metrics", "parzen",
                "--sigma-grid", "0.1,1,3", "--json");
        assertEquals(0, coarse.code(), coarse.err());
        double picked = Double.parseDouble(jsonNumber(coarse.out(), "sigma"));
        assertTrue(java.util.Arrays.stream(dev.ganeval.metrics.ParzenWindow.logGrid(0.1, 1, 3)).anyMatch(v -> v == picked), coarse.out());
        fixedArgs[args.length + 1] = "0.5";
        GanEvalTest.Run other = GanEvalTest.run(fixedArgs);
        assertEquals("0.5", jsonNumber(other.out(), "sigma"));
        assertTrue(Double.parseDouble(jsonNumber(other.out(), "value")) < Double.parseDouble(jsonNumber(grid.out(), "value")), other.out());
        GanEvalTest.Run noParzen = GanEvalTest.run("score", "mnist:test", "mnist:train", "--sigma-grid", "0.1,1,30");
        assertEquals(2, noParzen.code());
        assertEquals("ganeval: --sigma and --sigma-grid set the Parzen window's σ; add parzen or parzen-mnist to --metrics", noParzen.err().strip());
        GanEvalTest.Run bad = GanEvalTest.run("score", "mnist:test", "mnist:train", "--metrics", "parzen", "--sigma-grid", "0.1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--sigma-grid takes FROM,TO,N"), bad.err());
    }

    static String jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.E]+)").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    @Test
    void inceptionScoreFromLogitsMatchesNumpyAndNeedsNoRealSide() throws IOException {
        // testdata/make_metric_references.py: 1000 x 10 logits and improved-gan's IS (10 splits in order) in numpy.
        java.util.Map<String, dev.ganeval.core.data.NpyArray> ref = dev.ganeval.core.data.Npy.readNpz(
                CheckNetworkCommandTest.fixtures().resolveSibling("reference").resolve("inception_score.npz"));
        Path logits = tmp.resolve("logits.npy");
        dev.ganeval.core.data.Npy.write(logits, ref.get("logits"));
        GanEvalTest.Run r = GanEvalTest.run("score", logits.toString(), "--logits", "--json");
        assertEquals(0, r.code(), r.err());
        double mean = ref.get("mean").toDoubles()[0];
        double std = ref.get("std").toDoubles()[0];
        assertEquals(mean, Double.parseDouble(jsonNumber(r.out(), "value")), 1e-5 * mean);
        assertEquals(std, Double.parseDouble(jsonNumber(r.out(), "uncertainty")), 1e-4 * std);
        assertTrue(r.out().contains("\"space\": \"logits\"") && !r.out().contains("\"real\""), r.out());
        GanEvalTest.Run fid = GanEvalTest.run("score", logits.toString(), "--logits", "--metrics", "is,fid");
        assertEquals(2, fid.code());
        assertEquals("ganeval: --logits gives class logits, which only --metrics is uses; score the samples themselves for fid",
                fid.err().strip());
        GanEvalTest.Run net = GanEvalTest.run("score", logits.toString(), "--logits", "--network", "x.onnx");
        assertEquals(2, net.code());
        assertTrue(net.err().contains("--features, --network and a generator do not apply"), net.err());
        // Logits given without --logits are no images for the network; the error says what was probably meant.
        GanEvalTest.Run bare = GanEvalTest.run("score", logits.toString(), "--metrics", "is");
        assertEquals(2, bare.code());
        assertTrue(bare.err().contains("1x1x10") && bare.err().strip().endsWith("if FAKE holds class logits, add --logits"),
                bare.err());
        GanEvalTest.Run bareFid = GanEvalTest.run("score", logits.toString(), logits.toString());
        assertEquals(2, bareFid.code());
        assertFalse(bareFid.err().contains("--logits"), bareFid.err());
        GanEvalTest.Run nan = GanEvalTest.run("score", nanLogits().toString(), "--logits");
        assertEquals(2, nan.code());
        assertTrue(nan.err().contains("nan.npy"), nan.err());
        // Samples alone: IS needs only the generated side, and one input is taken as FAKE.
        GanEvalTest.Run one = GanEvalTest.run("score", folderB.toString(), "--gray", "--metrics", "is", "--json");
        GanEvalTest.Run two = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--gray", "--metrics", "is", "--json");
        assertEquals(0, one.code(), one.err());
        assertEquals(jsonNumber(two.out(), "value"), jsonNumber(one.out(), "value"));
        GanEvalTest.Run fidOne = GanEvalTest.run("score", folderB.toString(), "--gray");
        assertEquals(2, fidOne.code());
        assertTrue(fidOne.err().contains("FAKE is missing"), fidOne.err());
    }

    private Path nanLogits() throws IOException {
        float[] z = new float[40];
        z[17] = Float.NaN;
        Path p = tmp.resolve("nan.npy");
        dev.ganeval.core.data.Npy.write(p, dev.ganeval.core.data.NpyArray.ofFloats(z, 4, 10));
        return p;
    }

    @Test
    void folderPairScoresWithTheEmbeddedNetwork() {
        GanEvalTest.Run r = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--gray", "--metrics", "fid,is,prdc");
        assertEquals(0, r.code(), r.err());
        assertTrue(value(r.out(), "FID[mnist-mlp]") > 0);
        double is = value(r.out(), "Inception Score[mnist-mlp]");
        assertTrue(is > 5 && is <= 10, r.out());
        GanEvalTest.Run same = GanEvalTest.run("score", folderA.toString(), folderA.toString(), "--gray");
        assertEquals(0, same.code(), same.err());
        assertEquals(0.0, value(same.out(), "FID[mnist-mlp]"), 1e-3);
    }

    @Test
    void folderAndIdxSidesAgreeAndStatsRoundTripAsJson() throws IOException {
        GanEvalTest.Run viaIdx = GanEvalTest.run("score", "mnist:test", folderB.toString(), "--gray", "--limit", "600");
        GanEvalTest.Run viaFolder = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--gray");
        assertEquals(value(viaFolder.out(), "FID[mnist-mlp]"), value(viaIdx.out(), "FID[mnist-mlp]"), 1e-6,
                "the first 600 test digits read from IDX or from PNGs are the same samples");
        Path a = tmp.resolve("a.npz");
        Path b = tmp.resolve("b.npz");
        assertEquals(0, GanEvalTest.run("stats", folderA.toString(), a.toString(), "--gray").code());
        assertEquals(0, GanEvalTest.run("stats", folderB.toString(), b.toString(), "--gray").code());
        GanEvalTest.Run json = GanEvalTest.run("score", a.toString(), b.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"schema\": \"ganeval.score/2\"") && json.out().contains("\"name\": \"FID\""), json.out());
        Matcher m = Pattern.compile("\"value\": ([-0-9.E]+)").matcher(json.out());
        assertTrue(m.find());
        double fid = Double.parseDouble(m.group(1));
        assertEquals(value(viaFolder.out(), "FID[mnist-mlp]"), fid, 1e-3);
        // Its two parts add up to it.
        Matcher parts = Pattern.compile("\"mean_term\": ([-0-9.E]+),\\s*\"trace_term\": ([-0-9.E]+)").matcher(json.out());
        assertTrue(parts.find(), json.out());
        double meanTerm = Double.parseDouble(parts.group(1));
        assertTrue(meanTerm >= 0, json.out());
        assertEquals(fid, meanTerm + Double.parseDouble(parts.group(2)), 1e-9 * (1 + fid), json.out());
    }

    @Test
    void flattenedRowsScoreAsTheImagesTheyHold() throws IOException {
        FloatMatrix x = Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images()).rowRange(0, 600);
        Path flat = tmp.resolve("flat.npy");
        dev.ganeval.core.data.Npy.write(flat, dev.ganeval.core.data.NpyArray.ofFloats(x.data(), 600, 784));
        GanEvalTest.Run asImages = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--gray", "--metrics", "fid,is");
        GanEvalTest.Run asRows = GanEvalTest.run("score", flat.toString(), folderB.toString(), "--gray", "--metrics", "fid,is");
        assertEquals(0, asRows.code(), asRows.err());
        // folderA holds the same 600 digits as 8-bit PNGs, which MNIST's bytes are: the same samples, the same figures.
        assertEquals(value(asImages.out(), "FID[mnist-mlp]"), value(asRows.out(), "FID[mnist-mlp]"), 1e-6);
        GanEvalTest.Run fakeImages = GanEvalTest.run("score", folderB.toString(), folderA.toString(), "--gray", "--metrics", "is");
        GanEvalTest.Run fakeRows = GanEvalTest.run("score", folderB.toString(), flat.toString(), "--gray", "--metrics", "is");
        assertEquals(0, fakeRows.code(), fakeRows.err());
        assertEquals(value(fakeImages.out(), "Inception Score[mnist-mlp]"), value(fakeRows.out(), "Inception Score[mnist-mlp]"), 1e-6);
        Path npz = tmp.resolve("flat.npz");
        GanEvalTest.Run stats = GanEvalTest.run("stats", flat.toString(), npz.toString());
        assertEquals(0, stats.code(), "the embedded network reads rows of 784 pixels: " + stats.err());

        Path model = tmp.resolve("flat-net.onnx");
        Files.write(model, dev.ganeval.metrics.features.EmbeddedNetworks.mnistBytes());
        GanEvalTest.Run network = GanEvalTest.run("stats", flat.toString(), tmp.resolve("n.npz").toString(),
                "--network", model.toString(), "--output", "pool3", "--size", "28");
        assertEquals(2, network.code(), network.err());
        assertTrue(network.err().contains("flat.npy holds plain rows of 784 values, not images"), network.err());
        Path short_ = tmp.resolve("short.npy");
        dev.ganeval.core.data.Npy.write(short_, dev.ganeval.core.data.NpyArray.ofFloats(new float[600 * 100], 600, 100));
        GanEvalTest.Run other = GanEvalTest.run("score", short_.toString(), folderB.toString(), "--gray");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("the real side is 1x1x100 but the generated side is 1x28x28"), other.err());
    }

    @Test
    void featuresGivenAsRowsAreScoredAsTheyAre() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        float[] a = new float[400 * 16];
        float[] b = new float[300 * 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextGaussian() * 3 - 5);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rnd.nextGaussian() * 2 + 1);
        }
        Path real = tmp.resolve("real-features.npy");
        Path fake = tmp.resolve("fake-features.npy");
        dev.ganeval.core.data.Npy.write(real, dev.ganeval.core.data.NpyArray.ofFloats(a, 400, 16));
        dev.ganeval.core.data.Npy.write(fake, dev.ganeval.core.data.NpyArray.ofFloats(b, 300, 16));
        GanEvalTest.Run r = GanEvalTest.run("score", real.toString(), fake.toString(), "--features", "--metrics", "fid,kid,prdc",
                "--kid-subset-size", "100");
        assertEquals(0, r.code(), r.err());
        FloatMatrix x = new FloatMatrix(400, 16, a);
        FloatMatrix y = new FloatMatrix(300, 16, b);
        // Values outside [0, 1] are fine: these are features, not pixels.
        assertEquals(dev.ganeval.metrics.FrechetDistance.between(x, y).value(), value(r.out(), "FID[features]"), 1e-3);
        assertEquals(dev.ganeval.metrics.KernelInceptionDistance.builder().subsetSize(100).seed(0).build().compute(x, y).value(),
                value(r.out(), "KID[features]"), 1e-4);
        assertTrue(r.out().contains("precision/recall/density/coverage[features] precision "), r.out());

        Path npz = tmp.resolve("real-features.npz");
        GanEvalTest.Run stats = GanEvalTest.run("stats", real.toString(), npz.toString(), "--features");
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("n=400, d=16, features identity"), stats.out());
        GanEvalTest.Run viaStats = GanEvalTest.run("score", npz.toString(), fake.toString(), "--features");
        assertEquals(value(r.out(), "FID[features]"), value(viaStats.out(), "FID[features]"), 1e-4);

        Path narrow = tmp.resolve("narrow.npy");
        dev.ganeval.core.data.Npy.write(narrow, dev.ganeval.core.data.NpyArray.ofFloats(new float[300 * 8], 300, 8));
        GanEvalTest.Run dims = GanEvalTest.run("score", real.toString(), narrow.toString(), "--features");
        assertEquals(2, dims.code());
        assertTrue(dims.err().contains("the real side has 16 features a row but the generated side has 8"), dims.err());
        GanEvalTest.Run is = GanEvalTest.run("score", real.toString(), fake.toString(), "--features", "--metrics", "fid,is,parzen");
        assertEquals(2, is.code());
        assertTrue(is.err().contains("the inputs are features, but is, parzen need samples"), is.err());
        GanEvalTest.Run both = GanEvalTest.run("score", real.toString(), fake.toString(), "--features", "--network", "x.onnx");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--features") && both.err().contains("--network"), both.err());
        GanEvalTest.Run pixels = GanEvalTest.run("score", real.toString(), fake.toString());
        assertEquals(2, pixels.code(), "without --features the rows are samples, and these are not pixels");
    }

    @Test
    void badInputsExitTwoWithOneLineNamingTheProblem() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        GanEvalTest.Run e = GanEvalTest.run("score", empty.toString(), folderA.toString());
        assertEquals(2, e.code());
        assertTrue(e.err().contains("empty") && e.err().contains("no images"), e.err());
        assertEquals(1, e.err().strip().lines().count(), e.err());

        // Gray digits in a folder are read in colour without --gray, and colour images go to Inception-v3: with its
        // weights out of reach (tests run offline), the message says where to get them and that --gray takes the digits
        // to the embedded MNIST network.
        GanEvalTest.Run colour = GanEvalTest.run("stats", folderA.toString(), tmp.resolve("colour.npz").toString());
        assertEquals(2, colour.code(), colour.err());
        assertTrue(colour.err().contains("pt_inception-2015-12-05-6726825d.pth") && colour.err().contains("--inception-weights")
                && colour.err().contains("add --gray"), colour.err());
        Path big = Files.createDirectories(tmp.resolve("big"));
        for (int i = 0; i < 2; i++) {
            ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY), "png", big.resolve(i + ".png").toFile());
        }
        GanEvalTest.Run other = GanEvalTest.run("stats", big.toString(), tmp.resolve("big.npz").toString(), "--gray");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("pt_inception") && other.err().contains("--inception-weights")
                && !other.err().contains("--gray"), other.err());

        Path corrupt = Files.createDirectories(tmp.resolve("corrupt"));
        Files.copy(folderA.resolve("00000.png"), corrupt.resolve("00000.png"));
        Files.writeString(corrupt.resolve("00001.png"), "not a png");
        GanEvalTest.Run c = GanEvalTest.run("score", corrupt.toString(), folderA.toString(), "--gray");
        assertEquals(2, c.code());
        assertTrue(c.err().contains("00001.png"), c.err());

        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(folderA.resolve("00000.png"), mixed.resolve("00000.png"));
        ImageIO.write(new BufferedImage(30, 28, BufferedImage.TYPE_BYTE_GRAY), "png", mixed.resolve("00001.png").toFile());
        GanEvalTest.Run mx = GanEvalTest.run("score", mixed.toString(), folderA.toString(), "--gray");
        assertEquals(2, mx.code());
        assertTrue(mx.err().contains("00001.png") && mx.err().contains("30x28"), mx.err());

        GanEvalTest.Run missing = GanEvalTest.run("score", tmp.resolve("nope").toString(), folderA.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope"), missing.err());

        GanEvalTest.Run rgb = GanEvalTest.run("score", folderA.toString(), folderB.toString());
        assertEquals(2, rgb.code(), "RGB images go to Inception-v3, whose weights are out of reach offline");
        assertTrue(rgb.err().contains("--inception-weights") && rgb.err().contains("add --gray"), rgb.err());

        GanEvalTest.Run color = GanEvalTest.run("score", "mnist:test", folderA.toString(), "--limit", "100");
        assertEquals(2, color.code());
        assertTrue(color.err().contains("the real side is 1x28x28 but the generated side is 3x28x28") && color.err().contains("--gray"), color.err());

        GanEvalTest.Run kid = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--gray", "--metrics", "kid");
        assertEquals(2, kid.code());
        assertTrue(kid.err().contains("subsets of 1000 samples") && kid.err().contains("subset_size"), kid.err());

        GanEvalTest.Run metric = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--metrics", "fidd");
        assertEquals(2, metric.code());
        assertTrue(metric.err().contains("unknown metric 'fidd'"), metric.err());

        Path signed = tmp.resolve("signed.npy");
        float[] pixels = new float[20 * 28 * 28];
        java.util.Arrays.fill(pixels, 0.5f);
        pixels[3 * 784 + 10] = -1f;
        dev.ganeval.core.data.Npy.write(signed, dev.ganeval.core.data.NpyArray.ofFloats(pixels, 20, 28, 28));
        for (String[] args : new String[][] {{"score", folderA.toString(), signed.toString(), "--gray"},
                {"stats", signed.toString(), tmp.resolve("s.npz").toString()}}) {
            GanEvalTest.Run r = GanEvalTest.run(args);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("ganeval: " + signed + ": value -1.0 at row 3, column 10 is outside [0, 1]")
                    && r.err().contains("(x + 1) / 2"), r.err());
        }

        Path single = tmp.resolve("single.npy");
        dev.ganeval.core.data.Npy.write(single, dev.ganeval.core.data.NpyArray.ofFloats(new float[784], 1, 28, 28));
        for (String[] args : new String[][] {{"score", folderA.toString(), single.toString(), "--gray", "--metrics", "fid"},
                {"stats", single.toString(), tmp.resolve("one.npz").toString()}}) {
            GanEvalTest.Run one = GanEvalTest.run(args);
            assertEquals(2, one.code(), one.err());
            assertEquals("ganeval: " + single + ": features has 1 row; at least 2 are needed", one.err().strip());
        }
        GanEvalTest.Run fewForIs = GanEvalTest.run("score", folderA.toString(), single.toString(), "--gray", "--metrics", "is");
        assertEquals(2, fewForIs.code(), fewForIs.err());
        assertTrue(fewForIs.err().startsWith("ganeval: " + single + ": logits has 1 row;"), fewForIs.err());

        Path model = tmp.resolve("m.onnx");
        Files.write(model, dev.ganeval.metrics.features.EmbeddedNetworks.mnistBytes());
        GanEvalTest.Run output = GanEvalTest.run("score", folderA.toString(), folderB.toString(), "--gray",
                "--network", model.toString(), "--output", "pool3", "--size", "28");
        assertEquals(2, output.code());
        assertTrue(output.err().contains("no output named 'pool3'"), output.err());
    }

    @Test
    void wganGivesAHeldOutValueWithItsStandardErrorAndTrainingCurve() throws Exception {
        String a = folderA.toString();
        String b = folderB.toString();
        GanEvalTest.Run r = GanEvalTest.run("score", a, b, "--gray", "--metrics", "wgan", "--set", "wgan.steps=40",
                "--set", "wgan.width=32", "--set", "wgan.curve_points=4", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(java.util.Set.of(), dev.ganeval.cli.ReportSchema.problems(r.out()), r.out());
        com.fasterxml.jackson.databind.JsonNode score = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out())
                .get("results").get(0);
        assertEquals("wgan", score.get("metric").asText());
        assertEquals(score.get("uncertainty").asDouble(), score.get("details").get("standard_error").asDouble(), 0);
        assertEquals(4, score.get("details").get("curve").size());
        assertEquals(40, score.get("details").get("curve").get(3).get("step").asInt());
        assertEquals("gradient penalty", score.get("settings").get("constraint").asText());
        GanEvalTest.Run pixels = GanEvalTest.run("score", a, b, "--gray", "--metrics", "wgan", "--set", "wgan.steps=20",
                "--set", "wgan.pixels=1", "--set", "wgan.clip=0.01");
        assertEquals(0, pixels.code(), pixels.err());
        assertTrue(pixels.out().contains("[pixels]") && pixels.out().contains("weight clipping"), pixels.out());
    }

    @Test
    void dinov2AndClipFromWeightFilesGiveFdPrAndCmmdLabelledByNetworkAndProtocol() {
        String a = folderA.toString();
        String b = folderB.toString();
        String weights = Path.of("..", "testdata", "dinov2", "tiny_mlp.pth").toString();
        GanEvalTest.Run r = GanEvalTest.run("score", a, b, "--gray", "--limit", "60", "--network", "dinov2-vitl14",
                "--dinov2-weights", weights, "--metrics", "fd,pr,cmmd", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"network\": \"dinov2-vitl14\"") && r.out().contains("dgm-eval-bicubic-224")
                && r.out().contains("\"metric\": \"fd\"") && r.out().contains("\"name\": \"FD\"")
                && r.out().contains("\"metric\": \"cmmd\"") && r.out().contains("\"metric\": \"pr\""), r.out());
        assertEquals(java.util.Set.of(), dev.ganeval.cli.ReportSchema.problems(r.out()), r.out());
        GanEvalTest.Run text = GanEvalTest.run("score", a, b, "--gray", "--limit", "60", "--network", "dinov2-vitl14",
                "--dinov2-weights", weights, "--metrics", "fd");
        assertTrue(text.out().contains("FD[dinov2-vitl14]"), text.out());
        GanEvalTest.Run noWeights = GanEvalTest.run("score", a, b, "--gray", "--network", "dinov2-vitl14", "--metrics", "fd");
        assertEquals(2, noWeights.code(), noWeights.err());
        // Tests run offline: the weights would be downloaded on first use; here one line says what to fetch and where.
        assertTrue(noWeights.err().contains("dinov2_vitl14_pretrain.pth is not in the cache, and downloads are off")
                && noWeights.err().contains("fetch https://dl.fbaipublicfiles.com/dinov2/dinov2_vitl14/dinov2_vitl14_pretrain.pth")
                && noWeights.err().contains("GANEVAL_DINOV2_WEIGHTS") && noWeights.err().contains("--dinov2-weights FILE")
                && noWeights.err().strip().lines().count() == 1, noWeights.err());
        GanEvalTest.Run stray = GanEvalTest.run("score", a, b, "--gray", "--dinov2-weights", weights);
        assertEquals(2, stray.code(), stray.err());
        assertTrue(stray.err().contains("--dinov2-weights applies to --network dinov2-vitl14"), stray.err());
        String clip = Path.of("..", "testdata", "clip", "tiny.safetensors").toString();
        GanEvalTest.Run cmmd = GanEvalTest.run("score", a, b, "--gray", "--limit", "60", "--network", "clip-vitl14-336",
                "--clip-weights", clip, "--metrics", "cmmd");
        assertEquals(0, cmmd.code(), cmmd.err());
        assertTrue(cmmd.out().contains("CMMD[clip-vitl14-336]"), cmmd.out());
        GanEvalTest.Run clipStray = GanEvalTest.run("score", a, b, "--gray", "--network", "dinov2-vitl14", "--clip-weights", clip);
        assertEquals(2, clipStray.code(), clipStray.err());
        assertTrue(clipStray.err().contains("--clip-weights applies to --network clip-vitl14-336"), clipStray.err());
    }

    @Test
    void everyRegisteredMetricAndEachOfItsSettingsIsReachable() throws IOException {
        String a = folderA.toString();
        String b = folderB.toString();
        GanEvalTest.Run list = GanEvalTest.run("metrics");
        assertEquals(0, list.code(), list.err());
        for (String name : dev.ganeval.metrics.evaluation.Metrics.names()) {
            assertTrue(list.out().contains(name + " "), name + " in " + list.out());
        }
        GanEvalTest.Run c2st = GanEvalTest.run("score", a, b, "--gray", "--metrics", "c2st,vendi,fid-inf", "--json");
        assertEquals(0, c2st.code(), c2st.err());
        assertTrue(c2st.out().contains("\"metric\": \"c2st\"") && c2st.out().contains("\"p_value\"")
                && c2st.out().contains("\"metric\": \"vendi\"") && c2st.out().contains("\"metric\": \"fid-inf\""), c2st.out());
        assertEquals(java.util.Set.of(), dev.ganeval.cli.ReportSchema.problems(c2st.out()), c2st.out());
        GanEvalTest.Run k5 = GanEvalTest.run("score", a, b, "--gray", "--metrics", "prdc");
        GanEvalTest.Run k10 = GanEvalTest.run("score", a, b, "--gray", "--metrics", "prdc", "--set", "prdc.k_density_coverage=10");
        assertEquals(0, k10.code(), k10.err());
        assertEquals(value(k5.out(), "precision"), value(k10.out(), "precision"), 0.0, "k for precision is its own setting");
        assertTrue(value(k5.out(), "coverage") < value(k10.out(), "coverage"), "larger balls cover more: " + k5.out() + k10.out());
        String[][] refused = {
            {"--set", "kid.subset_size=10", "ganeval: --set kid.subset_size=10 sets kid, which is not in --metrics; add it"},
            {"--set", "prdc.kk=3", "ganeval: prdc has no setting 'kk'; its settings are k_precision_recall, k_density_coverage"},
            {"--set", "prdc=3", "ganeval: --set takes METRIC.KEY=VALUE"},
            {"--set", "prdc.k_density_coverage=many", "ganeval: prdc's setting k_density_coverage must be a whole number, got 'many'"},
        };
        for (String[] c : refused) {
            GanEvalTest.Run r = GanEvalTest.run("score", a, b, "--gray", "--metrics", "prdc", c[0], c[1]);
            assertEquals(2, r.code(), String.join(" ", c));
            assertTrue(r.err().startsWith(c[2]) && r.err().strip().lines().count() == 1, r.err());
        }
        GanEvalTest.Run parzen = GanEvalTest.run("parzen", "--images", "mnist:train", "--samples", "50", "--validation", "20", "--json");
        assertEquals(0, parzen.code(), parzen.err());
        assertEquals(java.util.Set.of(), dev.ganeval.cli.ReportSchema.problems(parzen.out()), parzen.out());
    }

    @Test
    void rgbFoldersScoreWithInceptionFromItsWeightFileInEachProtocol() throws IOException {
        Path testdata = CheckNetworkCommandTest.fixtures().getParent();
        String a = testdata.resolve("images/inception/a").toString();
        String b = testdata.resolve("images/inception/b").toString();
        String w16 = testdata.resolve("inception/fid_inception_w16.pth").toString();
        GanEvalTest.Run pfid = GanEvalTest.run("score", a, b, "--inception-weights", w16, "--metrics", "fid,is", "--set", "is.splits=2");
        assertEquals(0, pfid.code(), pfid.err());
        assertTrue(pfid.out().contains("FID[inception-v3/pytorch-fid]") && pfid.out().contains("Inception Score[inception-v3/pytorch-fid]"),
                pfid.out());
        // Not the published file: said once, and in the tag.
        assertTrue(pfid.err().contains("not comparable"), pfid.err());
        GanEvalTest.Run clean = GanEvalTest.run("score", a, b, "--inception-weights", w16, "--protocol", "clean", "--json");
        assertEquals(0, clean.code(), clean.err());
        assertTrue(clean.out().contains("\"network\": \"inception-v3/clean\"") && clean.out().contains("/pool/clean-bicubic-299")
                && clean.out().contains("unpublished-weights"), clean.out());
        assertEquals(java.util.Set.of(), ReportSchema.problems(clean.out()), clean.out());
        GanEvalTest.Run stats = GanEvalTest.run("stats", a, tmp.resolve("a.npz").toString(), "--network", "inception",
                "--inception-weights", w16);
        assertEquals(0, stats.code(), stats.err());
        assertTrue(stats.out().contains("d=128"), stats.out());
        // Tests run offline (GANEVAL_OFFLINE=1): without a copy of the weights, one line says what to fetch and where.
        GanEvalTest.Run none = GanEvalTest.run("score", a, b, "--offline");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
                + "pt_inception-2015-12-05-6726825d.pth") && none.err().strip().lines().count() == 1, none.err());
        // The protocol in a network's name is the one used, and a --protocol that contradicts it is refused.
        GanEvalTest.Run named = GanEvalTest.run("score", a, b, "--network", "inception-v3/tf", "--inception-weights", w16, "--json");
        assertEquals(0, named.code(), named.err());
        assertTrue(named.out().contains("\"network\": \"inception-v3/tf\"") && named.out().contains("/pool/tf-bilinear-299"),
                named.out());
        GanEvalTest.Run both = GanEvalTest.run("score", a, b, "--network", "inception-v3/tf", "--protocol", "clean");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("names the tf protocol but --protocol says clean"), both.err());
        GanEvalTest.Run features = GanEvalTest.run("score", a, b, "--network", "features");
        assertEquals(2, features.code());
        assertTrue(features.err().contains("--network must be inception"), features.err());
        GanEvalTest.Run badProtocol = GanEvalTest.run("score", a, b, "--protocol", "keras");
        assertEquals(2, badProtocol.code());
        assertTrue(badProtocol.err().contains("pytorch-fid, tf, clean"), badProtocol.err());
    }
}
