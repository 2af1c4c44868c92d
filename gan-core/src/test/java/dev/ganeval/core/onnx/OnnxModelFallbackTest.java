package dev.ganeval.core.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.ReferenceGan;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Device#CUDA_OR_CPU} when CUDA passes the up-front check and then fails for one model. This CPU-only build
 * cannot make CUDA fail that way, so the "accelerator" here is a session setup that ONNX Runtime accepts and that then
 * fails in the same two places: when the session is created, or when it first runs.
 */
class OnnxModelFallbackTest {
    private static final Optional<String> AVAILABLE = Optional.empty();

    private final byte[] model = OnnxExport.generator(new ReferenceGan(
            GanConfig.mnistPaper(8).withSizes(4, new int[] {8}, 9, new int[] {6}, 3), null));
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.ganeval.core.onnx");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            warnings.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(capture);
        logger.setUseParentHandlers(false);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(capture);
        logger.setUseParentHandlers(true);
    }

    @Test
    void aSessionCudaCannotCreateIsCreatedOnTheCpu(@TempDir Path dir) {
        // ONNX Runtime accepts the option and fails only when the session is created, as a CUDA provider does where
        // a library it needs is missing.
        OnnxModel.ProviderSetup failsAtCreation = opts -> {
            quiet(opts);
            opts.setOptimizedModelFilePath(dir.resolve("missing/g.onnx").toString());
        };
        long before = OnnxModel.cpuFallbacks();
        FloatMatrix z = noise(5);
        try (OnnxModel cpu = OnnxModel.load(model, Device.CPU, "g.onnx");
             OnnxModel m = OnnxModel.load(model, Device.CUDA_OR_CPU, "g.onnx", failsAtCreation, () -> AVAILABLE)) {
            assertEquals(Device.CPU, m.device());
            assertTrue(m.fallback().orElseThrow().startsWith("CUDA could not load it ("), m.fallback().toString());
            assertArrayEquals(cpu.run(z).data(), m.run(z).data());
        }
        assertEquals(before + 1, OnnxModel.cpuFallbacks());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("WARNING g.onnx: CUDA could not load it (")
                && warnings.get(0).endsWith("; running it on the CPU, as CUDA_OR_CPU (--device cuda-or-cpu) allows"), warnings.get(0));

        // Asked for CUDA alone, the same failure is one error with the advice, and no fallback.
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> OnnxModel.load(model, Device.CUDA, "g.onnx", failsAtCreation, () -> AVAILABLE));
        assertTrue(e.getMessage().startsWith("g.onnx: ONNX Runtime could not load the model with CUDA: ")
                && e.getMessage().contains(OnnxModel.cudaAdvice(OnnxModel.gpuBuild())), e.getMessage());
        assertEquals(before + 1, OnnxModel.cpuFallbacks());
    }

    @Test
    void aModelWhoseFirstRunFailsMovesToTheCpuAndRunsThere() throws InvalidProtocolBufferException {
        OnnxModel.ProviderSetup failsOnLargerBatches = pinBatchToOne();
        // The setup really does fail at run time and not before: one row runs, three do not.
        try (OnnxModel pinned = OnnxModel.load(model, Device.CUDA, "g.onnx", failsOnLargerBatches, () -> AVAILABLE)) {
            assertEquals(1, pinned.run(noise(1)).rows());
            assertTrue(assertThrows(ModelLoadException.class, () -> pinned.run(noise(3))).getMessage()
                    .startsWith("g.onnx: inference failed: "));
        }
        long before = OnnxModel.cpuFallbacks();
        FloatMatrix z = noise(3);
        try (OnnxModel cpu = OnnxModel.load(model, Device.CPU, "g.onnx");
             OnnxModel m = OnnxModel.load(model, Device.CUDA_OR_CPU, "g.onnx", failsOnLargerBatches, () -> AVAILABLE)) {
            assertEquals(Device.CUDA, m.device());
            assertEquals(Optional.empty(), m.fallback());
            assertArrayEquals(cpu.run(z).data(), m.run(z).data());
            assertEquals(Device.CPU, m.device());
            assertTrue(m.fallback().orElseThrow().startsWith("CUDA failed on its first run ("), m.fallback().toString());
            assertArrayEquals(cpu.run(noise(7)).data(), m.run(noise(7)).data());
        }
        assertEquals(before + 1, OnnxModel.cpuFallbacks());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("WARNING g.onnx: CUDA failed on its first run (")
                && warnings.get(0).contains("Got: 3 Expected: 1"), warnings.get(0));
        // ONNX Runtime's message spans lines; the warning and the reason are one line each.
        assertTrue(!warnings.get(0).contains("\n"), warnings.get(0));
    }

    @Test
    void afterARunHasSucceededOnCudaAFailureIsAnErrorNotAFallback() throws InvalidProtocolBufferException {
        // A model that has run on the GPU fails later for its own reasons (a batch too large for the GPU's memory,
        // say); quietly rerunning it on the CPU then would hide that, so the error goes to the caller.
        long before = OnnxModel.cpuFallbacks();
        try (OnnxModel m = OnnxModel.load(model, Device.CUDA_OR_CPU, "g.onnx", pinBatchToOne(), () -> AVAILABLE)) {
            assertEquals(1, m.run(noise(1)).rows());
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> m.run(noise(3)));
            assertTrue(e.getMessage().startsWith("g.onnx: inference failed: "), e.getMessage());
            assertEquals(Device.CUDA, m.device());
            assertEquals(Optional.empty(), m.fallback());
        }
        assertEquals(before, OnnxModel.cpuFallbacks());
        assertEquals(List.of(), warnings);
    }

    @Test
    void whenTheUpFrontCheckFailsTheModelGoesToTheCpuWithoutAWarningPerModel() {
        // The caller that asked cudaUnavailable() says it once; each model only records why it is on the CPU.
        long before = OnnxModel.cpuFallbacks();
        OnnxModel.ProviderSetup neverApplied = opts -> {
            throw new AssertionError("the accelerator is not set up once the check has failed");
        };
        try (OnnxModel m = OnnxModel.load(model, Device.CUDA_OR_CPU, "g.onnx", neverApplied, () -> Optional.of("no GPU"))) {
            assertEquals(Device.CPU, m.device());
            assertEquals(Optional.of("CUDA cannot be used here (no GPU)"), m.fallback());
        }
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> OnnxModel.load(model, Device.CUDA, "g.onnx", neverApplied, () -> Optional.of("no GPU")));
        assertTrue(e.getMessage().startsWith("g.onnx: CUDA was requested but ONNX Runtime cannot use it here (no GPU); "),
                e.getMessage());
        try (OnnxModel cpu = OnnxModel.load(model, Device.CPU, "g.onnx")) {
            assertEquals(Optional.empty(), cpu.fallback());
        }
        assertEquals(before, OnnxModel.cpuFallbacks());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aModelLoadedFromAFileIsReadAgainForTheCpuOnlyIfTheFileIsUnchanged(@TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.write(dir.resolve("g.onnx"), model);
        FloatMatrix z = noise(3);
        try (OnnxModel cpu = OnnxModel.load(model, Device.CPU, "g.onnx");
             OnnxModel m = OnnxModel.load(file, Device.CUDA_OR_CPU, "g.onnx", pinBatchToOne(), () -> AVAILABLE)) {
            assertArrayEquals(cpu.run(z).data(), m.run(z).data());
            assertEquals(Device.CPU, m.device());
        }
        try (OnnxModel m = OnnxModel.load(file, Device.CUDA_OR_CPU, "g.onnx", pinBatchToOne(), () -> AVAILABLE)) {
            // Another model written over the file between the load and the first run.
            java.nio.file.Files.write(file, OnnxExport.generator(new ReferenceGan(
                    GanConfig.mnistPaper(9).withSizes(4, new int[] {16}, 9, new int[] {6}, 3), null)));
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> m.run(z));
            assertTrue(e.getMessage().contains("changed on disk since it was loaded"), e.getMessage());
        }
    }

    @Test
    void aFileThatIsNoModelIsUnreadableOnEveryDeviceWithoutBlamingCuda(@TempDir Path dir) throws Exception {
        Path garbage = java.nio.file.Files.write(dir.resolve("g.onnx"), new byte[] {1, 2, 3});
        Path empty = java.nio.file.Files.write(dir.resolve("e.onnx"), new byte[0]);
        long before = OnnxModel.cpuFallbacks();
        for (Path file : List.of(garbage, empty)) {
            for (Device device : List.of(Device.CPU, Device.CUDA, Device.CUDA_OR_CPU)) {
                ModelLoadException e = assertThrows(ModelLoadException.class,
                        () -> OnnxModel.load(file, device, "g.onnx", OnnxModelFallbackTest::quiet, () -> AVAILABLE));
                assertTrue(e.modelUnreadable(), device + ": " + e.getMessage());
                assertTrue(e.getMessage().startsWith("g.onnx: ONNX Runtime could not load the model: "), e.getMessage());
            }
        }
        assertEquals(before, OnnxModel.cpuFallbacks());
        assertEquals(List.of(), warnings);
        // A model it reads is not "unreadable" when refused for the device.
        ModelLoadException cuda = assertThrows(ModelLoadException.class,
                () -> OnnxModel.load(model, Device.CUDA, "g.onnx", OnnxModelFallbackTest::quiet, () -> Optional.of("no GPU")));
        assertTrue(!cuda.modelUnreadable(), cuda.getMessage());
    }

    /** Fixes the input's free batch dimension to 1: a session ONNX Runtime creates, whose runs of more rows fail. */
    private OnnxModel.ProviderSetup pinBatchToOne() throws InvalidProtocolBufferException {
        String batch = OnnxMl.ModelProto.parseFrom(model).getGraph().getInput(0).getType().getTensorType().getShape()
                .getDim(0).getDimParam();
        assertTrue(!batch.isEmpty(), "the exported input names its batch dimension");
        return opts -> opts.setSymbolicDimensionValue(batch, 1);
    }

    /** Keeps ONNX Runtime's own note about serialising an optimised model out of the test output. */
    private static void quiet(OrtSession.SessionOptions opts) throws OrtException {
        opts.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
    }

    private static FloatMatrix noise(int rows) {
        SplittableRandom r = new SplittableRandom(rows);
        float[] z = new float[rows * 4];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextDouble(-1, 1);
        }
        return new FloatMatrix(rows, 4, z);
    }
}
