package dev.ganeval.cli;

import dev.ganeval.core.gan.Checkpoint;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.metrics.ParzenWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainAndParzenCommandTest {
    @TempDir
    Path tmp;

    @Test
    void adamIsAnUpdateRuleWithItsOwnDefaultsThatResumesAndRefusesSgdMomentum() throws Exception {
        Path out = tmp.resolve("adam");
        GanEvalTest.Run first = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200",
                "--optimizer", "adam");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("except learning_rate 2.0E-4, decay 1.0, update_rule adam:0.5,0.999,1.0E-8")
                && first.out().contains("lr 0.00020, momentum 0.500"), first.out());
        GanEvalTest.Run resumed = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("epoch 1: D loss"), resumed.out());
        GanEvalTest.Run momentum = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200",
                "--resume", "--momentum", "0.9");
        assertEquals(2, momentum.code(), momentum.err());
        assertTrue(momentum.err().contains("--momentum sets SGD's momentum ramp, which Adam does not use"), momentum.err());
        GanEvalTest.Run sgd = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200",
                "--resume", "--optimizer", "sgd");
        assertEquals(2, sgd.code(), sgd.err());
        assertTrue(sgd.err().contains("update_rule: checkpoint adam:0.5,0.999,1.0E-8, requested sgd"), sgd.err());
        // The checkpoint records its data: a resume without --train-rows trains on the same 200 rows (2 updates an
        // epoch, not the 500 of mnist:train's 50,000), and other data is refused by name.
        GanEvalTest.Run same = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--resume");
        assertEquals(0, same.code(), same.err());
        assertEquals(java.util.Map.of("source", "mnist:train", "rows", "200"),
                dev.ganeval.core.gan.Checkpoint.readData(out.resolve("checkpoint.ckpt")));
        GanEvalTest.Run rows = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--resume", "--train-rows", "300");
        assertEquals(2, rows.code(), rows.err());
        assertTrue(rows.err().startsWith("ganeval: --train-rows 300: ") && rows.err().contains("was trained on the first 200 rows"),
                rows.err());
        GanEvalTest.Run other = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--resume", "--data",
                "fashion-mnist:train");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("was trained on mnist:train"), other.err());
        GanEvalTest.Run bad = GanEvalTest.run("train", "--out", tmp.resolve("bad").toString(), "--optimizer", "adam:0.5");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("adam:BETA1,BETA2[,EPSILON]"), bad.err());
    }

    @Test
    void trainWritesCheckpointAndGridsResumesAndParzenScoresIt() throws Exception {
        Path out = tmp.resolve("run");
        GanEvalTest.Run first = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("training on mnist:train: 200 rows of 28x28") && first.out().contains("epoch 0: D loss"),
                first.out());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.ckpt")));
        assertTrue(Files.isRegularFile(out.resolve("samples-000.png")));
        byte[] saved = Files.readAllBytes(out.resolve("checkpoint.ckpt"));
        GanEvalTest.Run again = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200");
        assertEquals(2, again.code(), "a fresh run must not overwrite an existing one");
        assertTrue(again.err().contains("exists: pass --resume"), again.err());
        assertTrue(java.util.Arrays.equals(saved, Files.readAllBytes(out.resolve("checkpoint.ckpt"))));
        GanEvalTest.Run resumed = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200", "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming after 1 epoch from") && resumed.out().contains("the next is epoch 1") && resumed.out().contains("epoch 1: D loss"), resumed.out());
        GanEvalTest.Run parzen = GanEvalTest.run("parzen", "--checkpoint", out.resolve("checkpoint.ckpt").toString(),
                "--samples", "300", "--validation", "100");
        assertEquals(0, parzen.code(), parzen.err());
        assertTrue(parzen.out().contains("after 2 epochs") && parzen.out().contains("Parzen log-lik."), parzen.out());
        Path npy = tmp.resolve("s.npy");
        GanEvalTest.Run sample = GanEvalTest.run("sample", "--checkpoint", out.resolve("checkpoint.ckpt").toString(),
                "--n", "1200", "--out", npy.toString(), "--onnx", tmp.resolve("gan").toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(Files.isRegularFile(tmp.resolve("gan-generator.onnx")) && Files.isRegularFile(tmp.resolve("gan-discriminator.onnx")));
        // The same samples (seed 2014 both times) scored from a file: the same figure as from the checkpoint.
        GanEvalTest.Run fromFile = GanEvalTest.run("parzen", "--images", npy.toString(), "--samples", "300", "--validation", "100");
        assertEquals(0, fromFile.code(), fromFile.err());
        assertEquals(parzenLine(parzen.out()), parzenLine(fromFile.out()));
        assertTrue(fromFile.out().contains("(300 of 1200 rows)"), fromFile.out());
        // Samples drawn from the exported generator: the rows 'parzen --generator' scores for the same seed.
        Path fromOnnx = tmp.resolve("g.npy");
        GanEvalTest.Run drawn = GanEvalTest.run("sample", "--generator", tmp.resolve("gan-generator.onnx").toString(), "--n", "300",
                "--out", fromOnnx.toString(), "--seed", "7");
        assertEquals(0, drawn.code(), drawn.err());
        GanEvalTest.Run direct = GanEvalTest.run("parzen", "--generator", tmp.resolve("gan-generator.onnx").toString(),
                "--samples", "300", "--validation", "100", "--seed", "7");
        GanEvalTest.Run viaFile = GanEvalTest.run("parzen", "--images", fromOnnx.toString(), "--samples", "300", "--validation", "100");
        assertEquals(0, direct.code(), direct.err());
        assertEquals(parzenLine(direct.out()), parzenLine(viaFile.out()));
        assertEquals(2, GanEvalTest.run("sample", "--generator", tmp.resolve("gan-generator.onnx").toString(), "--out",
                fromOnnx.toString(), "--checkpoint", out.resolve("checkpoint.ckpt").toString()).code());
        GanEvalTest.Run export = GanEvalTest.run("sample", "--generator", tmp.resolve("gan-generator.onnx").toString(), "--out",
                fromOnnx.toString(), "--onnx", tmp.resolve("again").toString());
        assertEquals(2, export.code());
        assertTrue(export.err().contains("is ONNX already"), export.err());
        GanEvalTest.Run score = GanEvalTest.run("score", "mnist:test", npy.toString(), "--limit", "1200",
                "--metrics", "fid,is,wasserstein,parzen,ratio", "--discriminator", tmp.resolve("gan-discriminator.onnx").toString());
        assertEquals(0, score.code(), score.err());
        for (String label : new String[] {"FID[mnist-mlp]", "Inception Score[mnist-mlp]", "W2 (sliced)[mnist-mlp]",
                "Parzen log-likelihood[pixels]", "real/fake ratio[pixels]"}) {
            assertTrue(score.out().contains(label), score.out());
        }
        assertTrue(score.out().matches("(?s).*real/fake ratio\\[pixels\\] +[0-9.]+ \\(95%: [0-9.]+ to [0-9.]+\\)  judged real: "
                + "real [0-9.]+, fake [0-9.]+  mean D: real [0-9.]+, fake [0-9.]+\n.*"), score.out());
        // The JSON carries what drives the ratio; the ratio is fake-judged-real over real-judged-real, inside its interval.
        GanEvalTest.Run ratioJson = GanEvalTest.run("score", "mnist:test", npy.toString(), "--limit", "1200", "--metrics", "ratio",
                "--discriminator", tmp.resolve("gan-discriminator.onnx").toString(), "--json");
        assertEquals(0, ratioJson.code(), ratioJson.err());
        double ratio = jsonNumber(ratioJson.out(), "value");
        double realReal = jsonNumber(ratioJson.out(), "real_judged_real");
        double fakeReal = jsonNumber(ratioJson.out(), "fake_judged_real");
        assertEquals(fakeReal / realReal, ratio, 1e-12, ratioJson.out());
        var interval = java.util.regex.Pattern.compile("\"interval\": \\[\\s*([-0-9.E]+),\\s*([-0-9.E]+)\\s*\\]")
                .matcher(ratioJson.out());
        assertTrue(interval.find(), ratioJson.out());
        assertTrue(Double.parseDouble(interval.group(1)) <= ratio && ratio <= Double.parseDouble(interval.group(2)), ratioJson.out());
        for (String mean : new String[] {"mean_output_real", "mean_output_fake"}) {
            double v = jsonNumber(ratioJson.out(), mean);
            assertTrue(v >= 0 && v <= 1, mean + " " + v);
        }
        GanEvalTest.Run noD = GanEvalTest.run("score", "mnist:test", npy.toString(), "--limit", "1200", "--metrics", "ratio");
        assertEquals(2, noD.code());
        assertTrue(noD.err().contains("--discriminator"), noD.err());
        Path pngs = tmp.resolve("pngs");
        assertEquals(0, GanEvalTest.run("sample", "--checkpoint", out.resolve("checkpoint.ckpt").toString(), "--n", "5",
                "--out", pngs.toString()).code());
        assertTrue(Files.isRegularFile(pngs.resolve("000004.png")));
    }

    private static double jsonNumber(String json, String key) {
        var m = java.util.regex.Pattern.compile("\"" + key + "\": ([-0-9.E]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void longRunsKeepCheckpointsAndLogTheParzenFigureThatParzenGives() throws Exception {
        Path out = tmp.resolve("long");
        GanEvalTest.Run run = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "2", "--train-rows", "200",
                "--keep-every", "1", "--parzen-every", "2", "--fid-every", "2");
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint-000.ckpt")) && Files.isRegularFile(out.resolve("checkpoint-001.ckpt")));
        String log = Files.readString(out.resolve("train.log"));
        assertEquals(1, log.lines().filter(l -> l.startsWith("parzen after ")).count(), log);
        // The time left is told on the terminal after every epoch but the last, and kept out of train.log.
        assertEquals(1, run.out().lines().filter(l -> l.matches("  1 epoch to go, about \\d+ s")).count(), run.out());
        assertTrue(log.lines().noneMatch(l -> l.contains("to go")), log);
        String logged = log.lines().filter(l -> l.startsWith("parzen after 2 epochs: ")).findFirst().orElseThrow()
                .substring("parzen after 2 epochs: ".length());
        GanEvalTest.Run parzen = GanEvalTest.run("parzen", "--checkpoint", out.resolve("checkpoint-001.ckpt").toString());
        assertEquals(0, parzen.code(), parzen.err());
        assertFalse(parzen.out().contains("protocol"), "the defaults are the paper's protocol: " + parzen.out());
        assertTrue(parzen.out().contains("Parzen log-lik.   " + logged), parzen.out() + " vs " + logged);

        // metrics.csv: the log's figures at full precision, Parzen only after the epoch that measured it.
        java.util.List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(TrainingCurve.HEADER, csv.get(0));
        assertEquals(3, csv.size(), csv.toString());
        String[] first = csv.get(1).split(",", -1);
        String[] second = csv.get(2).split(",", -1);
        assertEquals(14, first.length);
        assertEquals("0", first[0]);
        assertEquals("", first[8]);
        assertEquals("", first[11]);
        // FID and IS after the second epoch, against the 59,800 rows past --train-rows, as the log says.
        String fidLine = log.lines().filter(l -> l.startsWith("fid after 2 epochs: ")).findFirst().orElseThrow();
        double fid = Double.parseDouble(second[11]);
        double is = Double.parseDouble(second[12]);
        assertTrue(fidLine.startsWith(String.format(java.util.Locale.ROOT, "fid after 2 epochs: %.4f (10000 samples against "
                + "59800 held-out rows, mnist-mlp), IS %.4f ± %.4f", fid, is, Double.parseDouble(second[13]))), fidLine);
        assertTrue(fid > 0 && is >= 1 && is <= 10, csv.get(2));
        String[] epochLine = log.lines().filter(l -> l.startsWith("epoch 1: ")).findFirst().orElseThrow().split("[ ,]+");
        assertEquals(Double.parseDouble(epochLine[4]), Double.parseDouble(second[1]), 5e-5, "D loss as in train.log");
        assertEquals(Double.parseDouble(epochLine[7]), Double.parseDouble(second[2]), 5e-5, "G loss as in train.log");
        assertTrue(logged.startsWith(String.format(java.util.Locale.ROOT, "%.1f ± %.1f", Double.parseDouble(second[8]),
                Double.parseDouble(second[9]))), logged + " vs " + csv.get(2));

        // Resumed from the older checkpoint copy: the row of the epoch it redoes is replaced, not repeated.
        Files.copy(out.resolve("checkpoint-000.ckpt"), out.resolve("checkpoint.ckpt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        GanEvalTest.Run redo = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200", "--resume");
        assertEquals(0, redo.code(), redo.err());
        java.util.List<String> after = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(3, after.size(), after.toString());
        assertEquals(csv.get(1), after.get(1));
        assertEquals(java.util.List.of(second).subList(0, 7), java.util.List.of(after.get(2).split(",", -1)).subList(0, 7),
                "the same epoch again (resume is exact), this time without --parzen-every");
        assertEquals("", after.get(2).split(",", -1)[8]);
        Files.writeString(out.resolve("metrics.csv"), "step,loss\n");
        GanEvalTest.Run foreign = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "1", "--train-rows", "200", "--resume");
        assertEquals(2, foreign.code());
        assertTrue(foreign.err().contains("metrics.csv: is not a ganeval training curve"), foreign.err());
        GanEvalTest.Run negative = GanEvalTest.run("train", "--out", out.toString(), "--keep-every", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--keep-every"), negative.err());
    }

    private Path grayImages(String name, int n, int h, int w, float outlier) throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(n);
        float[] v = new float[n * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble();
        }
        v[v.length / 2] = outlier;
        Path p = tmp.resolve(name);
        dev.ganeval.core.data.Npy.write(p, dev.ganeval.core.data.NpyArray.ofFloats(v, n, h, w));
        return p;
    }

    @Test
    void noiseIsChosenForANewRunKeptOnResumeAndRecordedInTheExport() throws Exception {
        Path images = grayImages("noise.npy", 200, 4, 5, 0.5f);
        Path out = tmp.resolve("normal");
        GanEvalTest.Run run = GanEvalTest.run("train", "--data", images.toString(), "--out", out.toString(), "--noise", "normal");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("rows of 4x5, the paper's settings except noise normal:1.0\n"), run.out());
        GanEvalTest.Run other = GanEvalTest.run("train", "--data", images.toString(), "--out", out.toString(), "--resume",
                "--noise", "uniform:1.7320508075688772");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("another configuration (noise: checkpoint normal:1.0, requested uniform:1.7320508075688772)"),
                other.err());
        GanEvalTest.Run resumed = GanEvalTest.run("train", "--data", images.toString(), "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("except noise normal:1.0") && resumed.out().contains("epoch 1: D loss"), resumed.out());
        String ckpt = out.resolve("checkpoint.ckpt").toString();
        GanEvalTest.Run notSquare = GanEvalTest.run("sample", "--checkpoint", ckpt, "--n", "3", "--out", tmp.resolve("n.npy").toString());
        assertEquals(2, notSquare.code());
        assertTrue(notSquare.err().contains("(20 values) are not square images; pass --shape HxW"), notSquare.err());
        GanEvalTest.Run wrongShape = GanEvalTest.run("sample", "--checkpoint", ckpt, "--n", "3", "--out", tmp.resolve("n.npy").toString(),
                "--shape", "5x5");
        assertEquals(2, wrongShape.code());
        assertTrue(wrongShape.err().contains("--shape must be HxW with H·W = 20"), wrongShape.err());
        GanEvalTest.Run export = GanEvalTest.run("sample", "--checkpoint", ckpt, "--n", "3", "--out", tmp.resolve("n.npy").toString(),
                "--shape", "4x5", "--onnx", tmp.resolve("n").toString());
        assertEquals(0, export.code(), export.err());
        assertEquals(java.util.List.of(3, 4, 5), java.util.Arrays.stream(dev.ganeval.core.data.Npy.read(tmp.resolve("n.npy")).shape())
                .boxed().toList());
        Path pngs = tmp.resolve("n-png");
        assertEquals(0, GanEvalTest.run("sample", "--checkpoint", ckpt, "--n", "2", "--out", pngs.toString(), "--shape", "4x5").code());
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(pngs.resolve("000001.png").toFile());
        assertEquals(5, png.getWidth());
        assertEquals(4, png.getHeight());
        try (dev.ganeval.core.onnx.OnnxModel g = dev.ganeval.core.onnx.OnnxModel.load(tmp.resolve("n-generator.onnx"),
                dev.ganeval.core.onnx.Device.CPU)) {
            assertEquals("normal:1.0", g.metadata().get(dev.ganeval.core.sampling.Noise.METADATA_KEY));
            assertEquals("1,4,5", g.metadata().get(dev.ganeval.core.onnx.OnnxGenerator.SHAPE_KEY));
        }
        GanEvalTest.Run parzen = GanEvalTest.run("parzen", "--checkpoint", ckpt);
        assertEquals(2, parzen.code());
        assertTrue(parzen.err().contains("makes samples of 20 values; the MNIST Parzen protocol needs 28x28 = 784"), parzen.err());
        GanEvalTest.Run bogus = GanEvalTest.run("train", "--data", images.toString(), "--out", tmp.resolve("bogus").toString(),
                "--noise", "cauchy");
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("noise must be normal[:std] or uniform[:half-width]"), bogus.err());
    }

    @Test
    void trainsOnOtherGrayDataAndRejectsWhatItCannotLearn() throws Exception {
        Path images = grayImages("small.npy", 300, 8, 6, 0.5f);
        Path out = tmp.resolve("small");
        GanEvalTest.Run run = GanEvalTest.run("train", "--data", images.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("training on " + images + ": 300 rows of 8x6") && run.out().contains("epoch 0: D loss"), run.out());
        assertTrue(Files.isRegularFile(out.resolve("samples-000.png")));
        GanEvalTest.Run resumed = GanEvalTest.run("train", "--data", images.toString(), "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("epoch 1: D loss"), resumed.out());
        GanEvalTest.Run otherSize = GanEvalTest.run("train", "--out", out.toString(), "--resume", "--data", "mnist:train");
        assertEquals(2, otherSize.code(), "MNIST rows against an 8x6 checkpoint");
        assertTrue(otherSize.err().contains("was trained on " + images), otherSize.err());
        GanEvalTest.Run fewer = GanEvalTest.run("train", "--out", out.toString(), "--resume", "--train-rows", "200");
        assertEquals(2, fewer.code());
        assertTrue(fewer.err().contains("was trained on the first 300 rows of " + images), fewer.err());

        Path bad = grayImages("bad.npy", 300, 8, 6, 1.5f);
        GanEvalTest.Run outside = GanEvalTest.run("train", "--data", bad.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(2, outside.code());
        assertTrue(outside.err().contains("value 1.5 at row 150") && outside.err().contains("outside [0, 1]"), outside.err());
        Path few = grayImages("few.npy", 50, 8, 6, 0.5f);
        GanEvalTest.Run tooFew = GanEvalTest.run("train", "--data", few.toString(), "--out", tmp.resolve("few").toString());
        assertEquals(2, tooFew.code());
        assertTrue(tooFew.err().contains("50 rows; training needs at least one batch of 100"), tooFew.err());
        Path colour = colourFolder("colour", 8, 6);
        GanEvalTest.Run coloured = GanEvalTest.run("train", "--data", colour.toString(), "--out", tmp.resolve("c").toString());
        assertEquals(2, coloured.code());
        assertTrue(coloured.err().contains("img2.png: is a colour image (the pixel at x 4, y 3 is RGB 255,0,0)")
                && coloured.err().contains("convert the images to gray first"), coloured.err());
        assertFalse(Files.exists(tmp.resolve("c").resolve("checkpoint.ckpt")));
        GanEvalTest.Run parzen = GanEvalTest.run("train", "--data", images.toString(), "--out", tmp.resolve("p").toString(),
                "--parzen-every", "1");
        assertEquals(2, parzen.code());
        assertTrue(parzen.err().contains("--parzen-every scores against MNIST test"), parzen.err());
    }

    @Test
    void everySettingCanBeChangedForANewRunAndIsKeptOnResume() throws Exception {
        Path images = grayImages("settings.npy", 200, 4, 5, 0.5f);
        Path out = tmp.resolve("settings");
        String[] settings = {"--noise-dim", "7", "--generator-hidden", "16", "--discriminator-units", "8,6", "--pieces", "3",
                "--batch-size", "50", "--learning-rate", "0.05", "--lr-decay", "1", "--min-learning-rate", "0",
                "--momentum", "0.6", "--momentum-epochs", "0,0", "--keep", "1,0.9", "--init", "0.1,0.01"};
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data", images.toString(),
                "--out", out.toString(), "--epochs", "2"));
        args.addAll(java.util.List.of(settings));
        GanEvalTest.Run run = GanEvalTest.run(args.toArray(new String[0]));
        assertEquals(0, run.code(), run.err());
        GanConfig want = GanConfig.mnistPaper(1).withSizes(7, new int[] {16}, 20, new int[] {8, 6}, 3).withBatchSize(50)
                .withSchedule(0.05, 1, 0).withMomentum(0.6, 0.6, 0, 0).withDropout(1f, 0.9f).withInit(0.1f, 0.01f);
        assertEquals(want, Checkpoint.readConfig(out.resolve("checkpoint.ckpt")));
        assertTrue(run.out().contains("the paper's settings except noise_dim 7, generator_hidden [16], generator_init 0.1, "
                + "discriminator_units [8, 6], pieces 3, discriminator_init 0.01, keep_input 1.0, keep_hidden 0.9, batch_size 50, "
                + "learning_rate 0.05, decay 1.0, min_learning_rate 0.0, momentum 0.6->0.6 epochs 0-0\n"), run.out());
        // 200 rows in batches of 50: 4 updates an epoch at a constant rate and momentum.
        assertTrue(run.out().contains("epoch 1: ") && run.out().contains("lr 0.05000, momentum 0.600"), run.out());

        args.add("--resume");
        args.add("--quiet");
        GanEvalTest.Run same = GanEvalTest.run(args.toArray(new String[0]));
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("epoch 3: ") && !same.out().contains("to go"), "--quiet keeps the epochs, drops the time left: " + same.out());
        GanEvalTest.Run changed = GanEvalTest.run("train", "--data", images.toString(), "--out", out.toString(), "--resume",
                "--pieces", "4", "--batch-size", "25");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("pieces: checkpoint 3, requested 4; batch_size: checkpoint 50, requested 25"), changed.err());

        String[][] bad = {
                {"--keep", "0,1", "dropout keep probabilities must be in (0, 1], got 0.0, 1.0"},
                {"--momentum", "0.1,0.2,0.3", "--momentum takes 1 or 2 comma-separated values, got 3"},
                {"--learning-rate", "-1", "the learning rate must be positive and finite, got -1.0"},
                {"--momentum-epochs", "9,3", "the momentum ramp's epochs must satisfy 0 <= start <= end, got 9-3"},
                {"--generator-hidden", "16,0", "layer widths must be positive, got generator [16, 0]"},
                {"--batch-size", "0", "the batch size must be at least 1, got 0"},
                {"--pieces", "0", "the number of maxout pieces must be at least 1, got 0"},
        };
        for (String[] b : bad) {
            GanEvalTest.Run r = GanEvalTest.run("train", "--data", images.toString(), "--out", tmp.resolve("bad").toString(), b[0], b[1]);
            assertEquals(2, r.code(), b[0]);
            assertTrue(r.err().contains(b[2]), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void sigmaGridAndFixedSigmaAgreeWithThePaperGridWhereTheyOverlap() {
        String[] data = {"parzen", "--images", "mnist:train", "--samples", "500", "--validation", "200"};
        GanEvalTest.Run paper = GanEvalTest.run(data);
        assertEquals(0, paper.code(), paper.err());
        assertTrue(paper.out().contains("protocol          500 samples, not the paper's 10,000; σ chosen on 200 validation rows, "
                + "not the paper's 1,000\n"), paper.out());
        GanEvalTest.Run spelled = GanEvalTest.run(with(data, "--sigma-grid", "0.1, 1, 10"));
        assertEquals(0, spelled.code(), spelled.err());
        assertEquals(paper.out(), spelled.out(), "the paper's grid spelled out is the default");
        // 91 points from 0.1 to 1 hold the paper's 10 (every tenth), so the best validation mean cannot be lower.
        GanEvalTest.Run fine = GanEvalTest.run(with(data, "--sigma-grid", "0.1,1,91"));
        assertEquals(0, fine.code(), fine.err());
        assertTrue(fine.out().contains("validation rows, not the paper's 1,000; σ from 0.1,1,91, not the paper's"), fine.out());
        double[] paperCurve = curve(paper.out());
        double[] fineCurve = curve(fine.out());
        assertEquals(10, paperCurve.length);
        assertEquals(91, fineCurve.length);
        for (int i = 0; i < 10; i++) {
            assertEquals(paperCurve[i], fineCurve[10 * i], 0.051, "σ " + i);
        }
        assertTrue(Arrays.stream(fineCurve).max().orElseThrow() >= Arrays.stream(paperCurve).max().orElseThrow());
        // The σ the paper's grid chose, given by hand: the same test figure, and no validation curve.
        String chosen = paper.out().replaceAll("(?s).*σ = ([0-9.]+),.*", "$1");
        double exact = Arrays.stream(ParzenWindow.defaultSigmas())
                .filter(v -> String.format(java.util.Locale.ROOT, "%.4f", v).equals(chosen)).findFirst().orElseThrow();
        GanEvalTest.Run fixed = GanEvalTest.run(with(Arrays.copyOf(data, 5), "--sigma", Double.toString(exact)));
        assertEquals(0, fixed.code(), fixed.err());
        assertEquals(parzenLine(paper.out()), parzenLine(fixed.out()));
        assertTrue(fixed.out().contains("σ fixed by hand") && !fixed.out().contains("validation curve"), fixed.out());
        // --json: the same figure at full precision, the protocol named, the curve as sigma/mean pairs.
        GanEvalTest.Run json = GanEvalTest.run(with(data, "--json"));
        assertEquals(0, json.code(), json.err());
        double value = Double.parseDouble(json.out().replaceAll("(?s)^.*?\"value\": ([-0-9.E]+),.*", "$1"));
        assertTrue(parzenLine(paper.out()).contains(String.format(java.util.Locale.ROOT, "%.1f ± ", value)), json.out());
        assertTrue(json.out().contains("\"paper_protocol\": \"500 samples, not the paper's 10,000; σ chosen on 200 validation rows")
                && json.out().contains("\"validation_rows\": 200"), json.out());
        assertEquals(10, json.out().split("\"mean\":", -1).length - 1, json.out());
        for (String[] bad : new String[][] {{"--sigma-grid", "1,0.1,10"}, {"--sigma-grid", "0.1,1"}, {"--sigma-grid", "0.1,1,1"},
                {"--sigma-grid", "a,b,c"}, {"--sigma-grid", "0,1,10"}, {"--sigma-grid", "0.1,1,1001"}}) {
            GanEvalTest.Run run = GanEvalTest.run(with(data, bad));
            assertEquals(2, run.code(), bad[1]);
            assertEquals("ganeval: --sigma-grid takes FROM,TO,N with 0 < FROM < TO and 2 <= N <= 1000 (the paper's: 0.1,1,10), got "
                    + bad[1], run.err().strip());
        }
        for (String bad : new String[] {"0", "-0.2", "NaN", "Infinity"}) {
            GanEvalTest.Run run = GanEvalTest.run(with(data, "--sigma", bad));
            assertEquals(2, run.code(), bad);
            assertEquals("ganeval: --sigma must be positive, got " + Double.parseDouble(bad), run.err().strip());
        }
        GanEvalTest.Run both = GanEvalTest.run(with(data, "--sigma", "0.2", "--sigma-grid", "0.1,1,20"));
        assertEquals(2, both.code());
        assertEquals("ganeval: give --sigma or --sigma-grid, not both", both.err().strip());
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    /** The validation means printed on the "validation curve" line, in grid order. */
    private static double[] curve(String out) {
        String line = out.lines().filter(l -> l.startsWith("validation curve")).findFirst().orElseThrow(() -> new AssertionError(out));
        return Arrays.stream(line.substring("validation curve".length()).trim().split("\\s+"))
                .mapToDouble(e -> Double.parseDouble(e.substring(e.indexOf(':') + 1))).toArray();
    }

    private static String parzenLine(String out) {
        return out.lines().filter(l -> l.startsWith("Parzen log-lik.")).findFirst().orElseThrow(() -> new AssertionError(out));
    }

    /** Three w×h PNGs stored as RGB, the first two gray, the third with one red pixel at (4, 3). */
    private Path colourFolder(String name, int w, int h) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < 3; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
            img.setRGB(4, 3, i == 2 ? 0xFF0000 : 0x808080);
            javax.imageio.ImageIO.write(img, "png", folder.resolve("img" + i + ".png").toFile());
        }
        return folder;
    }

    @Test
    void parzenOfImagesNamesWhatItCannotScore() throws Exception {
        GanEvalTest.Run colour = GanEvalTest.run("parzen", "--images", colourFolder("colour28", 28, 28).toString());
        assertEquals(2, colour.code());
        assertTrue(colour.err().contains("img2.png: is a colour image"), colour.err());
        Path signed = grayImages("signed.npy", 50, 28, 28, -0.5f);
        GanEvalTest.Run outside = GanEvalTest.run("parzen", "--images", signed.toString(), "--validation", "10");
        assertEquals(2, outside.code());
        assertTrue(outside.err().contains("value -0.5 at row 25") && outside.err().contains("scale the samples to [0, 1]"), outside.err());
        Path small = grayImages("small.npy", 50, 8, 6, 0.5f);
        GanEvalTest.Run size = GanEvalTest.run("parzen", "--images", small.toString());
        assertEquals(2, size.code());
        assertTrue(size.err().contains("holds 1x8x6 samples; the MNIST Parzen protocol needs 1x28x28"), size.err());
        GanEvalTest.Run two = GanEvalTest.run("parzen", "--images", small.toString(), "--checkpoint", "x.ckpt");
        assertEquals(2, two.code());
        assertTrue(two.err().contains("exactly one of --checkpoint, --generator and --images"), two.err());
    }

    @Test
    void sampleWritesAColourGeneratorPlanarInNpyAndAsRgbPngs() throws Exception {
        Path g = CheckNetworkCommandTest.fixtures().resolve("dcgan-tiny.onnx");
        Path npy = tmp.resolve("c.npy");
        GanEvalTest.Run run = GanEvalTest.run("sample", "--generator", g.toString(), "--n", "4", "--out", npy.toString());
        assertEquals(0, run.code(), run.err());
        dev.ganeval.core.data.NpyArray a = dev.ganeval.core.data.Npy.read(npy);
        assertTrue(Arrays.equals(new int[] {4, 3, 8, 8}, a.shape()), Arrays.toString(a.shape()));
        Path pngs = tmp.resolve("c");
        assertEquals(0, GanEvalTest.run("sample", "--generator", g.toString(), "--n", "4", "--out", pngs.toString()).code());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(pngs.resolve("000003.png").toFile());
        assertEquals(8, img.getWidth());
        float[] v = a.toFloats();
        int rgb = img.getRGB(5, 2);
        for (int c = 0; c < 3; c++) {
            int expected = Math.round(v[3 * 192 + c * 64 + 2 * 8 + 5] * 255f);
            assertEquals(expected, (rgb >> (16 - 8 * c)) & 0xFF, "channel " + c);
        }
        GanEvalTest.Run shape = GanEvalTest.run("sample", "--generator", g.toString(), "--out", npy.toString(), "--shape", "4x16");
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("take the shape of its output"), shape.err());
        // One grid PNG of all the samples: ⌈√5⌉ = 3 columns, 2 rows, one-pixel gaps, the sixth tile black.
        Path grid = tmp.resolve("grid.png");
        GanEvalTest.Run five = GanEvalTest.run("sample", "--generator", g.toString(), "--n", "5", "--out", grid.toString());
        assertEquals(0, five.code(), five.err());
        java.awt.image.BufferedImage tiles = javax.imageio.ImageIO.read(grid.toFile());
        assertEquals(3 * 9 + 1, tiles.getWidth());
        assertEquals(2 * 9 + 1, tiles.getHeight());
        int fourth = tiles.getRGB(1 + 5, 1 + 9 + 2);   // sample 3 (the same as in the 4-sample .npy): row 1, column 0; pixel (5, 2)
        for (int c = 0; c < 3; c++) {
            assertEquals(Math.round(v[3 * 192 + c * 64 + 2 * 8 + 5] * 255f), (fourth >> (16 - 8 * c)) & 0xFF, "channel " + c);
        }
        assertEquals(0, tiles.getRGB(1 + 18 + 4, 1 + 9 + 4) & 0xFFFFFF, "no sixth sample");
    }

    @Test
    void timeLeftReadsAsPeopleSayIt() {
        assertEquals("0 s", TrainCommand.duration(0.2));
        assertEquals("59 s", TrainCommand.duration(59.4));
        assertEquals("1 min", TrainCommand.duration(60));
        assertEquals("59 min", TrainCommand.duration(59 * 60 + 20));
        assertEquals("1 h 00 min", TrainCommand.duration(3600));
        assertEquals("3 h 05 min", TrainCommand.duration(3 * 3600 + 5 * 60 + 10));
    }

    @Test
    void badArgumentsAndMissingCheckpointsExitTwo() {
        GanEvalTest.Run epochs = GanEvalTest.run("train", "--out", tmp.toString(), "--epochs", "0");
        assertEquals(2, epochs.code());
        assertEquals("ganeval: --epochs must be at least 1, got 0", epochs.err().strip());
        GanEvalTest.Run missing = GanEvalTest.run("parzen", "--checkpoint", tmp.resolve("none.ckpt").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().strip().endsWith("none.ckpt: no such checkpoint"), missing.err());
        GanEvalTest.Run resume = GanEvalTest.run("train", "--out", tmp.resolve("empty").toString(), "--resume", "--train-rows", "200");
        assertEquals(2, resume.code());
        assertTrue(resume.err().contains("no such checkpoint"), resume.err());
        GanEvalTest.Run samples = GanEvalTest.run("parzen", "--checkpoint", "x.ckpt", "--samples", "0");
        assertEquals(2, samples.code());
        assertEquals("ganeval: --samples must be at least 1, got 0", samples.err().strip());
        GanEvalTest.Run validation = GanEvalTest.run("parzen", "--checkpoint", "x.ckpt", "--validation", "10001");
        assertEquals(2, validation.code());
        assertEquals("ganeval: --validation must be between 1 and 10000, got 10001", validation.err().strip());
        // Options that would do nothing here are refused, not ignored.
        GanEvalTest.Run fixed = GanEvalTest.run("parzen", "--checkpoint", "x.ckpt", "--sigma", "0.2", "--validation", "500");
        assertEquals("ganeval: --validation sets the rows that choose σ, and --sigma fixes it", fixed.err().strip());
        GanEvalTest.Run seeded = GanEvalTest.run("parzen", "--images", "mnist:train", "--seed", "3");
        assertEquals("ganeval: --seed seeds the samples of a checkpoint or generator; --images are drawn already", seeded.err().strip());
        GanEvalTest.Run demo = GanEvalTest.run("demo", "--train-rows", "500");
        assertEquals(2, demo.code());
        assertTrue(demo.err().startsWith("ganeval: --train-rows sets what a fresh GAN trains on; add --epochs N"), demo.err());
        // Out of range: the option and the value named, one condition at a time.
        String[][] demoBad = {
            {"--epochs", "-1", "ganeval: --epochs must be 0 (the shipped generator) or more, got -1"},
            {"--samples", "5", "ganeval: --samples must be at least 1000 (KID's subset size), got 5"},
        };
        for (String[] b : demoBad) {
            GanEvalTest.Run r = GanEvalTest.run("demo", b[0], b[1]);
            assertEquals(2, r.code(), b[0]);
            assertEquals(b[2], r.err().strip());
        }
        GanEvalTest.Run rows = GanEvalTest.run("demo", "--epochs", "1", "--train-rows", "50");
        assertEquals(2, rows.code());
        assertTrue(rows.err().startsWith("ganeval: --train-rows must be between 100 (one batch) and 50000"), rows.err());
    }

    @Test
    void aCurveWrittenBeforeFidAndIsIsContinuedWithThoseFieldsEmpty() throws IOException {
        Path csv = tmp.resolve("older.csv");
        Files.writeString(csv, TrainingCurve.HEADER_WITHOUT_FID + "\n0,0.69,0.70,0.5,0.5,0.1,0.5,1.0,,,\n"
                + "1,0.68,0.71,0.55,0.45,0.1,0.5,1.0,120.5,2.5,0.2\n");
        TrainingCurve.open(csv, 1);
        assertEquals(java.util.List.of(TrainingCurve.HEADER, "0,0.69,0.70,0.5,0.5,0.1,0.5,1.0,,,,,,"), Files.readAllLines(csv));
        TrainingCurve.Table t = TrainingCurve.read(csv);
        assertTrue(Double.isNaN(t.column("fid")[0]) && t.rows().size() == 1);
        Files.writeString(csv, "epoch,something,else\n");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.ganeval.core.InvalidInputException.class,
                () -> TrainingCurve.open(csv, 0)).getMessage().contains("is not a ganeval training curve"));
    }

    /** --fid-every's figures are what score gives with --network mnist-mlp --metrics fid,is on the same samples. */
    @Test
    void fidEveryGivesWhatScoreGivesOnTheSameSamples() {
        dev.ganeval.core.linalg.FloatMatrix all = dev.ganeval.core.data.SampleSource.parse("mnist:test", true).read();
        dev.ganeval.core.linalg.FloatMatrix real = all.rowRange(0, 3000);
        dev.ganeval.core.linalg.FloatMatrix fake = all.rowRange(3000, 6000);
        try (EpochQuality q = EpochQuality.against(real, 28, 28, "mnist:test")) {
            EpochQuality.Figures f = q.measure(fake);
            dev.ganeval.metrics.evaluation.EvaluationReport r = dev.ganeval.metrics.evaluation.Evaluation.builder()
                    .real(dev.ganeval.core.data.SampleSource.of(() -> real, 1, 28, 28, "real"))
                    .fake(dev.ganeval.core.data.SampleSource.of(() -> fake, 1, 28, 28, "fake"))
                    .network(dev.ganeval.metrics.evaluation.FeatureNetworks.named("mnist-mlp")).metrics("fid", "is").run();
            assertEquals(r.score("fid").result().value(), f.fid().value(), 1e-9 * f.fid().value());
            assertEquals(r.score("is").result().value(), f.is().value(), 1e-9 * f.is().value());
            assertEquals(3000, q.realRows());
        }
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.ganeval.core.InvalidInputException.class,
                () -> EpochQuality.against(real, 32, 32, "cifar")).getMessage().contains("takes 28x28 images"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.ganeval.core.InvalidInputException.class,
                () -> EpochQuality.against(real.rowRange(0, 1), 28, 28, "mnist:train")).getMessage()
                .contains("1 are left; lower --train-rows"));
    }
}
