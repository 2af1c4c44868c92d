package dev.ganeval.core.onnx;

import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.sampling.Noise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class OnnxExportTest {
    @TempDir
    Path tmp;

    public static void assertClose(FloatMatrix want, FloatMatrix got, double tol) {
        assertEquals(want.rows(), got.rows());
        assertEquals(want.cols(), got.cols());
        for (int i = 0; i < want.data().length; i++) {
            assertEquals(want.data()[i], got.data()[i], tol, "element " + i);
        }
    }

    @Test
    void exportedPaperGanMatchesTheJavaForwardPass() throws IOException {
        ReferenceGan gan = new ReferenceGan(GanConfig.mnistPaper(3), null);
        SplittableRandom rng = new SplittableRandom(4);
        FloatMatrix z = gan.noise(16, rng);
        FloatMatrix samples = gan.generatorNetwork().forward(z, false);
        Path g = tmp.resolve("g.onnx");
        Path d = tmp.resolve("d.onnx");
        OnnxExport.write(OnnxExport.generator(gan), g);
        OnnxExport.write(OnnxExport.discriminator(gan), d);
        try (OnnxModel gm = OnnxModel.load(g, Device.CPU); OnnxModel dm = OnnxModel.load(d, Device.CPU)) {
            assertEquals(Device.CPU, gm.device());
            assertEquals("z", gm.inputName());
            assertEquals(100, gm.inputWidth());
            assertClose(samples, gm.run(z), 1e-5);
            float[] p = gan.probabilityReal(samples);
            assertClose(new FloatMatrix(p.length, 1, p), dm.run(samples, "p_real"), 1e-5);
        }
    }

    @Test
    void anyOnnxGeneratorCanBeSampled() {
        GanConfig tiny = GanConfig.mnistPaper(5).withSizes(4, new int[] {8}, 9, new int[] {6}, 3);
        ReferenceGan gan = new ReferenceGan(tiny, null);
        try (OnnxGenerator g = new OnnxGenerator(OnnxModel.load(OnnxExport.generator(gan), Device.CPU, "tiny"), Math.sqrt(3))) {
            FloatMatrix s = g.sample(7, new SplittableRandom(1));
            assertEquals(7, s.rows());
            assertEquals(9, s.cols());
            for (float v : s.data()) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    @Test
    void exportsRecordTheNoiseAndTheImageShape() {
        GanConfig wide = GanConfig.mnistPaper(5).withSizes(4, new int[] {8}, 12, new int[] {6}, 3).withNoise(Noise.normal());
        ReferenceGan gan = new ReferenceGan(wide, null);
        try (OnnxModel m = OnnxModel.load(OnnxExport.generator(gan), Device.CPU, "wide")) {
            assertEquals("normal:1.0", m.metadata().get(Noise.METADATA_KEY));
            assertTrue(!m.metadata().containsKey(OnnxGenerator.SHAPE_KEY), "12 values are no square image: " + m.metadata());
        }
        try (OnnxModel m = OnnxModel.load(OnnxExport.generator(gan, 3, 4), Device.CPU, "wide")) {
            assertEquals("1,3,4", m.metadata().get(OnnxGenerator.SHAPE_KEY));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OnnxExport.generator(gan, 2, 5)).getMessage()
                .contains("2x5 image does not hold the generator's 12 values"));
    }

    @Test
    void cudaOnACpuMachineIsOneClearErrorOrAnExplicitFallback() {
        ReferenceGan gan = new ReferenceGan(GanConfig.mnistPaper(6).withSizes(4, new int[] {8}, 9, new int[] {6}, 3), null);
        byte[] model = OnnxExport.generator(gan);
        // The default build uses the CPU-only onnxruntime artifact, so CUDA is never available in this test JVM.
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModel.load(model, Device.CUDA, "g.onnx"));
        assertTrue(e.getMessage().contains("CUDA was requested") && e.getMessage().contains("CUDA_OR_CPU"), e.getMessage());
        try (OnnxModel m = OnnxModel.load(model, Device.CUDA_OR_CPU, "g.onnx")) {
            assertEquals(Device.CPU, m.device());
        }
        // The up-front probe gives the reason the load reported, and the advice fits the build on the class path.
        String why = OnnxModel.cudaUnavailable().orElseThrow();
        assertTrue(!why.isBlank() && e.getMessage().contains("(" + why + ")"), why + " / " + e.getMessage());
        assertTrue(e.getMessage().contains(OnnxModel.cudaAdvice(OnnxModel.gpuBuild())), e.getMessage());
    }

    @Test
    void theCudaProbeRunsAModelAndCatchesFailuresAfterTheProviderIsAdded(@TempDir Path dir) {
        // With nothing added the probe's model loads and runs on the CPU: its "unavailable" can only come from the setup.
        assertEquals(Optional.empty(), OnnxModel.probe(opts -> { }));
        // Options accepted when set but failing when the session is created, as a GPU build's CUDA provider does on a
        // machine without a working driver: ONNX Runtime cannot write the optimised model into a missing folder.
        Optional<String> why = OnnxModel.probe(opts -> {
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);  // its note on serialising
            opts.setOptimizedModelFilePath(dir.resolve("missing/probe.onnx").toString());
        });
        assertTrue(why.isPresent() && !why.get().isBlank(), String.valueOf(why));
        // And a setup that fails at once.
        assertEquals(Optional.of("no provider"), OnnxModel.probe(opts -> {
            throw new IllegalStateException("no provider");
        }));
    }

    @Test
    void cudaAdviceNamesTheBuildAndWhatToDo() {
        // Told apart by the packaged CUDA provider library; the jar ONNX Runtime came from names the artifact Maven chose.
        String ortJar = ai.onnxruntime.OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertEquals(ortJar.contains("onnxruntime_gpu"), OnnxModel.gpuBuild(), ortJar);
        assertTrue(OnnxModel.cudaAdvice(false).contains("CPU-only build") && OnnxModel.cudaAdvice(false).contains("-Pcuda"));
        String gpu = OnnxModel.cudaAdvice(true);
        assertTrue(gpu.contains("GPU build") && gpu.contains("CUDA 12") && gpu.contains("12.8") && gpu.contains("cuDNN 9")
                && gpu.contains("LD_LIBRARY_PATH") && !gpu.contains("-Pcuda"), gpu);
    }

    @Test
    void aGpuBuildsLibrariesInOnnxRuntimesNativePathCountAsTheGpuBuild(@TempDir Path dir) throws IOException {
        ClassLoader empty = new ClassLoader(null) { };
        assertTrue(!OnnxModel.gpuBuild(empty, null) && !OnnxModel.gpuBuild(empty, dir.toString()));
        Files.write(dir.resolve("libonnxruntime.so"), new byte[1]);
        assertTrue(!OnnxModel.gpuBuild(empty, dir.toString()), "the CPU runtime alone is no GPU build");
        Files.write(dir.resolve("libonnxruntime_providers_cuda.so"), new byte[1]);
        assertTrue(OnnxModel.gpuBuild(empty, dir.toString()));
        assertTrue(!OnnxModel.gpuBuild(empty, dir.resolve("elsewhere").toString()));
    }

    @Test
    void badModelsAndInputsAreNamed() throws IOException {
        ReferenceGan gan = new ReferenceGan(GanConfig.mnistPaper(7).withSizes(4, new int[] {8}, 9, new int[] {6}, 3), null);
        try (OnnxModel m = OnnxModel.load(OnnxExport.generator(gan), Device.CPU, "g.onnx")) {
            assertTrue(assertThrows(ModelLoadException.class, () -> m.run(new FloatMatrix(2, 4), "nope"))
                    .getMessage().contains("no output named 'nope'"));
            assertTrue(assertThrows(ModelLoadException.class, () -> m.run(new FloatMatrix(2, 5)))
                    .getMessage().contains("takes 4 values per row"));
        }
        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "not a model");
        assertTrue(assertThrows(ModelLoadException.class, () -> OnnxModel.load(junk, Device.CPU)).getMessage().contains("junk.onnx"));
        assertThrows(ModelLoadException.class, () -> OnnxModel.load(tmp.resolve("missing.onnx"), Device.CPU));
    }

    @Test
    void squareSideIsExactForPerfectSquaresOnly() {
        for (long side = 1; side <= 5000; side++) {
            assertEquals(side, OnnxGenerator.squareSide(side * side));
            assertEquals(0, OnnxGenerator.squareSide(side * side + 1), "side " + side + " plus one");
        }
        // near 2^62 a double cannot hold n exactly, so the rounding must be checked in integers
        long big = 2_000_000_000L;
        assertEquals(0, OnnxGenerator.squareSide(big * big - 1));
        assertEquals(big, OnnxGenerator.squareSide(big * big));
        assertEquals(0, OnnxGenerator.squareSide(0));
        assertEquals(0, OnnxGenerator.squareSide(-4));
        assertEquals(0, OnnxGenerator.squareSide(783));
    }
}
