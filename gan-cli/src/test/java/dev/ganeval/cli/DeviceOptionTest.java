package dev.ganeval.cli;

import dev.ganeval.core.onnx.OnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceOptionTest {
    @TempDir
    Path tmp;

    // The default build has the CPU-only onnxruntime artifact, where the probe always gives a reason; with the GPU
    // artifact on a GPU machine the same tests check that CUDA is used without a word.
    private final Optional<String> noCuda = OnnxModel.cudaUnavailable();

    @Test
    void cudaStopsWithOneLineAndCudaOrCpuFallsBackSayingSo() throws Exception {
        String g = CheckNetworkCommandTest.fixtures().resolve("dcgan-tiny.onnx").toString();
        Path cpu = tmp.resolve("cpu.npy");
        Path either = tmp.resolve("either.npy");
        assertEquals(0, GanEvalTest.run("sample", "--generator", g, "--n", "5", "--out", cpu.toString()).code());

        GanEvalTest.Run cuda = GanEvalTest.run("sample", "--generator", g, "--n", "5", "--out", tmp.resolve("cuda.npy").toString(),
                "--device", "cuda");
        GanEvalTest.Run fallback = GanEvalTest.run("sample", "--generator", g, "--n", "5", "--out", either.toString(),
                "--device", "cuda-or-cpu");
        assertEquals(0, fallback.code(), fallback.err());
        if (noCuda.isPresent()) {
            assertEquals(2, cuda.code());
            assertEquals(1, cuda.err().strip().lines().count(), cuda.err());
            assertTrue(cuda.err().contains("CUDA was requested") && cuda.err().contains("--device cuda-or-cpu"), cuda.err());
            assertEquals("ganeval: CUDA cannot be used here (" + noCuda.get() + "); running on the CPU, as --device cuda-or-cpu allows",
                    fallback.err().strip());
            assertArrayEquals(Files.readAllBytes(cpu), Files.readAllBytes(either));
        } else {
            assertEquals(0, cuda.code(), cuda.err());
            assertEquals("", fallback.err().strip());
        }
    }

    @Test
    void commandsThatScoreThroughANetworkTakeTheSameChoice() {
        // score reaches --device through its network options; the fallback line comes once, however many models load.
        String shipped = CheckNetworkCommandTest.fixtures().resolveSibling("reference-gan").resolve("generator.onnx").toString();
        GanEvalTest.Run score = GanEvalTest.run("score", shipped, "--metrics", "is", "--n", "200", "--device", "cuda-or-cpu", "--json");
        assertEquals(0, score.code(), score.err());
        assertTrue(score.out().contains("\"name\": \"Inception Score\""), score.out());
        assertEquals(noCuda.isPresent() ? 1 : 0, score.err().lines().filter(l -> l.contains("cuda-or-cpu")).count(), score.err());
        // The report says where ONNX Runtime ran, and null where it ran nothing.
        assertTrue(score.out().contains("\"device\": \"" + (noCuda.isPresent() ? "cpu" : "cuda") + "\""), score.out());
        GanEvalTest.Run drawn = GanEvalTest.run("parzen", "--images", "mnist:train", "--samples", "50", "--validation", "20", "--json");
        assertEquals(0, drawn.code(), drawn.err());
        assertTrue(drawn.out().contains("\"device\": null"), drawn.out());
    }

    @Test
    void theLibrarysWarningsAreOneGanevalLineOnTheCommandsStderr() {
        // A model that --device cuda-or-cpu moves to the CPU after the check passed is reported by the library through
        // System.Logger ("dev.ganeval.core.onnx"), which cannot be provoked on this CPU-only build; the routing can.
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        GanEval.commandLine(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        System.Logger onnx = System.getLogger("dev.ganeval.core.onnx");
        onnx.log(System.Logger.Level.WARNING, "g.onnx: CUDA could not load it (x); running it on the CPU, as CUDA_OR_CPU "
                + "(--device cuda-or-cpu) allows");
        onnx.log(System.Logger.Level.INFO, "not for the user");
        System.getLogger("org.elsewhere").log(System.Logger.Level.WARNING, "not ganeval's");
        assertEquals("ganeval: g.onnx: CUDA could not load it (x); running it on the CPU, as CUDA_OR_CPU (--device "
                + "cuda-or-cpu) allows" + System.lineSeparator(), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void aDeviceWhereNothingRunsOnOnnxRuntimeOrAnUnknownOneIsRefused() throws Exception {
        GanEvalTest.Run ckpt = GanEvalTest.run("sample", "--checkpoint", tmp.resolve("x.ckpt").toString(), "--out",
                tmp.resolve("x.npy").toString(), "--device", "cpu");
        assertEquals(2, ckpt.code());
        assertEquals("ganeval: --device sets where ONNX Runtime runs, and nothing runs on it here: a checkpoint is sampled by "
                + "the Java networks, on the CPU", ckpt.err().strip());
        Path feats = tmp.resolve("f.npy");
        dev.ganeval.core.data.Npy.write(feats, dev.ganeval.core.data.NpyArray.ofFloats(new float[12], 4, 3));
        for (String[] args : new String[][] {
                {"score", feats.toString(), feats.toString(), "--features", "--metrics", "fid", "--device", "cpu"},
                {"stats", feats.toString(), tmp.resolve("f.npz").toString(), "--features", "--device", "cuda"},
                {"score", feats.toString(), "--logits", "--device", "cuda-or-cpu"}}) {
            GanEvalTest.Run r = GanEvalTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith("ganeval: --device sets where ONNX Runtime runs, and nothing runs on it here: "), r.err());
        }
        GanEvalTest.Run images = GanEvalTest.run("parzen", "--images", tmp.toString(), "--device", "cuda");
        assertEquals(2, images.code());
        assertTrue(images.err().contains("--images need no network"), images.err());
        GanEvalTest.Run gpu = GanEvalTest.run("stats", "mnist:test", tmp.resolve("s.npz").toString(), "--device", "gpu");
        assertEquals(2, gpu.code());
        assertEquals("ganeval: --device must be cpu, cuda or cuda-or-cpu, got gpu", gpu.err().strip());
    }
}
