package dev.ganeval.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainAndParzenCommandTest {
    @TempDir
    Path tmp;

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
        assertTrue(resumed.out().contains("resuming after epoch 1") && resumed.out().contains("epoch 1: D loss"), resumed.out());
        GanEvalTest.Run parzen = GanEvalTest.run("parzen", "--checkpoint", out.resolve("checkpoint.ckpt").toString(),
                "--samples", "300", "--validation", "100");
        assertEquals(0, parzen.code(), parzen.err());
        assertTrue(parzen.out().contains("after 2 epochs") && parzen.out().contains("Parzen log-lik."), parzen.out());
        Path npy = tmp.resolve("s.npy");
        GanEvalTest.Run sample = GanEvalTest.run("sample", "--checkpoint", out.resolve("checkpoint.ckpt").toString(),
                "--n", "1200", "--out", npy.toString(), "--onnx", tmp.resolve("gan").toString());
        assertEquals(0, sample.code(), sample.err());
        assertTrue(Files.isRegularFile(tmp.resolve("gan-generator.onnx")) && Files.isRegularFile(tmp.resolve("gan-discriminator.onnx")));
        GanEvalTest.Run score = GanEvalTest.run("score", "mnist:test", npy.toString(), "--limit", "1200",
                "--metrics", "fid,is,wasserstein,parzen,ratio", "--discriminator", tmp.resolve("gan-discriminator.onnx").toString());
        assertEquals(0, score.code(), score.err());
        for (String label : new String[] {"FID[mnist-mlp]", "Inception Score[mnist-mlp]", "W2 (sliced)[mnist-mlp]",
                "Parzen log-likelihood[pixels]", "real/fake ratio[pixels]"}) {
            assertTrue(score.out().contains(label), score.out());
        }
        GanEvalTest.Run noD = GanEvalTest.run("score", "mnist:test", npy.toString(), "--limit", "1200", "--metrics", "ratio");
        assertEquals(2, noD.code());
        assertTrue(noD.err().contains("--discriminator"), noD.err());
        Path pngs = tmp.resolve("pngs");
        assertEquals(0, GanEvalTest.run("sample", "--checkpoint", out.resolve("checkpoint.ckpt").toString(), "--n", "5",
                "--out", pngs.toString()).code());
        assertTrue(Files.isRegularFile(pngs.resolve("000004.png")));
    }

    @Test
    void longRunsKeepCheckpointsAndLogTheParzenFigureThatParzenGives() throws Exception {
        Path out = tmp.resolve("long");
        GanEvalTest.Run run = GanEvalTest.run("train", "--out", out.toString(), "--epochs", "2", "--train-rows", "200",
                "--keep-every", "1", "--parzen-every", "2");
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.isRegularFile(out.resolve("checkpoint-000.ckpt")) && Files.isRegularFile(out.resolve("checkpoint-001.ckpt")));
        String log = Files.readString(out.resolve("train.log"));
        assertEquals(1, log.lines().filter(l -> l.startsWith("parzen after ")).count(), log);
        String logged = log.lines().filter(l -> l.startsWith("parzen after 2 epochs: ")).findFirst().orElseThrow()
                .substring("parzen after 2 epochs: ".length());
        GanEvalTest.Run parzen = GanEvalTest.run("parzen", "--checkpoint", out.resolve("checkpoint-001.ckpt").toString());
        assertEquals(0, parzen.code(), parzen.err());
        assertTrue(parzen.out().contains("Parzen log-lik.   " + logged), parzen.out() + " vs " + logged);
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
        GanEvalTest.Run otherSize = GanEvalTest.run("train", "--out", out.toString(), "--resume", "--train-rows", "200");
        assertEquals(2, otherSize.code(), "MNIST rows against an 8x6 checkpoint");
        assertTrue(otherSize.err().contains("was trained on rows of 48 values but mnist:train has 784"), otherSize.err());

        Path bad = grayImages("bad.npy", 300, 8, 6, 1.5f);
        GanEvalTest.Run outside = GanEvalTest.run("train", "--data", bad.toString(), "--out", tmp.resolve("bad").toString());
        assertEquals(2, outside.code());
        assertTrue(outside.err().contains("value 1.5 at row 150") && outside.err().contains("outside [0, 1]"), outside.err());
        Path few = grayImages("few.npy", 50, 8, 6, 0.5f);
        GanEvalTest.Run tooFew = GanEvalTest.run("train", "--data", few.toString(), "--out", tmp.resolve("few").toString());
        assertEquals(2, tooFew.code());
        assertTrue(tooFew.err().contains("50 rows; training needs at least one batch of 100"), tooFew.err());
        GanEvalTest.Run parzen = GanEvalTest.run("train", "--data", images.toString(), "--out", tmp.resolve("p").toString(),
                "--parzen-every", "1");
        assertEquals(2, parzen.code());
        assertTrue(parzen.err().contains("--parzen-every scores against MNIST test"), parzen.err());
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
    }
}
