package dev.ganeval.core.torch;

import dev.ganeval.core.data.Fixtures;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safetensors files testdata/make_clip_references.py wrote, and damaged ones. */
class SafeTensorsTest {
    static final Path CLIP = Fixtures.testdata().resolve("clip");

    @Test
    void everyDtypeReadsAsWritten() {
        Map<String, Tensor> t = SafeTensors.read(CLIP.resolve("dtypes.safetensors"));
        Map<String, NpyArray> expected = Npy.readNpz(CLIP.resolve("dtypes_expected.npz"));
        assertEquals(java.util.List.of("f16", "bf16", "f64", "i64"), java.util.List.copyOf(t.keySet()));
        assertEquals(Tensor.DType.FLOAT16, t.get("f16").dtype());
        assertEquals(Tensor.DType.BFLOAT16, t.get("bf16").dtype());
        assertArrayEquals(new int[] {2, 2}, t.get("bf16").shape());
        for (String k : t.keySet()) {
            double[] got = k.equals("i64") ? java.util.Arrays.stream(t.get(k).toLongs()).asDoubleStream().toArray() : t.get(k).toDoubles();
            assertArrayEquals(expected.get(k).toDoubles(), got, 0.0, k);
        }
    }

    @Test
    void theSameStateDictReadsAlikeFromSafetensorsAndTorchsFormat() {
        Map<String, Tensor> st = SafeTensors.read(CLIP.resolve("tiny.safetensors"));
        Map<String, Tensor> pt = TorchCheckpoint.read(CLIP.resolve("tiny.pth"));
        assertEquals(pt.keySet(), st.keySet());
        for (String k : pt.keySet()) {
            assertArrayEquals(pt.get(k).shape(), st.get(k).shape(), k);
            assertArrayEquals(pt.get(k).toDoubles(), st.get(k).toDoubles(), 0.0, k);
        }
        Map<String, Tensor> vision = SafeTensors.read(CLIP.resolve("tiny.safetensors"), k -> k.startsWith("vision_model."));
        assertTrue(vision.keySet().stream().allMatch(k -> k.startsWith("vision_model.")) && !vision.isEmpty());
    }

    private static Path file(Path dir, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void damagedFilesAreOneErrorNamingWhatIsWrong(@TempDir Path dir) throws IOException {
        String[][] cases = {
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", "8", "shape needs 8 bytes"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", "4", "inside the 4 bytes of data"},
            {"{\"a\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [0, 2]}}", "2", "is U8; F32, F64, F16, BF16 and I64"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [2]}}", "8", "lacks a dtype, a shape or two data_offsets"},
            {"{\"a\": ", "0", "header that is not JSON"},
            {"[1, 2]", "0", "not a JSON object"},
            {"{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "4", "dimension of -1"},
        };
        for (String[] c : cases) {
            Path f = file(dir, c[0], Integer.parseInt(c[1]));
            CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(f), c[0]);
            assertTrue(e.getMessage().contains(c[2]) && e.getMessage().contains("bad.safetensors"), e.getMessage());
        }
        Path lying = dir.resolve("lying.safetensors");
        Files.write(lying, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertTrue(assertThrows(CheckpointException.class, () -> SafeTensors.read(lying)).getMessage()
                .contains("header length is 1099511627776"));
        assertTrue(assertThrows(CheckpointException.class, () -> SafeTensors.read(dir.resolve("none.safetensors")))
                .getMessage().contains("no such file"));
    }
}
