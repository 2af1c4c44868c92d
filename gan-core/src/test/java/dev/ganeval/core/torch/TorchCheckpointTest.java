package dev.ganeval.core.torch;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Fixtures;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the checkpoints torch.save wrote (testdata/make_torch_checkpoints.py) and compares every tensor bit for bit
 * with the values torch itself saved in .npz; refuses hostile and broken files with clear messages.
 */
class TorchCheckpointTest {
    static final Path TORCH = Fixtures.testdata().resolve("torch");
    /** Tensors the fixtures hold as float16 or bfloat16 (expected values widened to float32 by torch). */
    private static final Map<String, Tensor.DType> NARROW = Map.of("layer.float16", Tensor.DType.FLOAT16,
            "layer.float16_subnormal", Tensor.DType.FLOAT16, "layer.bfloat16", Tensor.DType.BFLOAT16,
            "v3.float16", Tensor.DType.FLOAT16);

    @TempDir
    Path tmp;

    /** Every tensor equals the expected one: names and their order, type, shape and every bit of every value. */
    static void assertSameAsTorch(String expectedNpz, Map<String, Tensor> actual) {
        Map<String, NpyArray> expected = Npy.readNpz(TORCH.resolve(expectedNpz));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "names in the file's order");
        for (Map.Entry<String, NpyArray> e : expected.entrySet()) {
            String name = e.getKey();
            NpyArray want = e.getValue();
            Tensor got = actual.get(name);
            assertArrayEquals(want.shape(), got.shape(), name);
            ByteBuffer bytes = ByteBuffer.wrap(want.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            long[] wantBits = new long[want.size()];
            long[] gotBits = new long[got.size()];
            Tensor.DType dtype = switch (want.dtype()) {
                case FLOAT32 -> {
                    float[] v = got.toFloats();
                    for (int i = 0; i < wantBits.length && i < v.length; i++) {
                        wantBits[i] = bytes.getInt(4 * i);
                        gotBits[i] = Float.floatToRawIntBits(v[i]);
                    }
                    yield NARROW.getOrDefault(name, Tensor.DType.FLOAT32);
                }
                case FLOAT64, INT64 -> {
                    boolean isDouble = want.dtype() == NpyArray.DType.FLOAT64;
                    double[] v = isDouble ? got.toDoubles() : null;
                    long[] l = isDouble ? null : got.toLongs();
                    for (int i = 0; i < wantBits.length && i < gotBits.length; i++) {
                        wantBits[i] = bytes.getLong(8 * i);
                        gotBits[i] = isDouble ? Double.doubleToRawLongBits(v[i]) : l[i];
                    }
                    yield isDouble ? Tensor.DType.FLOAT64 : Tensor.DType.INT64;
                }
                default -> throw new AssertionError("unexpected expected dtype " + want.dtype());
            };
            assertEquals(dtype, got.dtype(), name);
            assertArrayEquals(wantBits, gotBits, name + ": every value's bits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "zip"})
    void everyDtypeReadsBitForBitInBothFormats(String format) {
        Map<String, Tensor> sd = TorchCheckpoint.read(TORCH.resolve("dtypes_" + format + ".pt"));
        assertSameAsTorch("dtypes.npz", sd);
        assertArrayEquals(new int[] {2, 1, 3, 3}, sd.get("Conv2d_1a_3x3.conv.weight").shape(), "an nn.Parameter");
        assertTrue(Float.isNaN(sd.get("layer.bfloat16").toFloats()[6]));
        assertEquals(65504f, sd.get("layer.float16").toFloats()[9]);
        assertEquals(0x1p-24f, sd.get("layer.float16_subnormal").toFloats()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "zip"})
    void viewsOfSharedStoragesComeOutAsTorchShowsThem(String format) {
        Map<String, Tensor> sd = TorchCheckpoint.read(TORCH.resolve("views_" + format + ".pt"));
        assertSameAsTorch("views.npz", sd);
        assertArrayEquals(new int[] {6, 4}, sd.get("transposed").shape());
        assertArrayEquals(new float[] {1.5f, -2f, 4f, 1.5f, -2f, 4f}, sd.get("expanded").toFloats());
        assertSame(sd.get("base"), sd.get("alias"), "one tensor under two names is built once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "zip"})
    void scalarsAndEmptyTensorsKeepTheirShapes(String format) {
        Map<String, Tensor> sd = TorchCheckpoint.read(TORCH.resolve("scalars_" + format + ".pt"));
        assertSameAsTorch("scalars.npz", sd);
        Tensor tracked = sd.get("bn.num_batches_tracked");
        assertEquals(Tensor.DType.INT64, tracked.dtype());
        assertArrayEquals(new int[0], tracked.shape());
        assertArrayEquals(new long[] {7}, tracked.toLongs());
        assertArrayEquals(new int[] {2, 0}, sd.get("empty_2x0").shape());
        assertEquals(0, sd.get("empty").size());
    }

    @Test
    void newerAndOlderFormsRead() {
        assertSameAsTorch("dtypes.npz", TorchCheckpoint.read(TORCH.resolve("protocol4_zip.pt")));
        assertSameAsTorch("rebuild_v3.npz", TorchCheckpoint.read(TORCH.resolve("rebuild_v3_zip.pt")));
        assertSameAsTorch("storage_view.npz", TorchCheckpoint.read(TORCH.resolve("storage_view_legacy.pt")));
    }

    @Test
    void zipArchivesLaidOutByOtherWritersRead() {
        assertSameAsTorch("dtypes.npz", TorchCheckpoint.read(TORCH.resolve("torch2_records_zip.pt")));
        assertSameAsTorch("views.npz", TorchCheckpoint.read(TORCH.resolve("deflated_zip.pt")));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TorchCheckpoint.read(TORCH.resolve("big_endian_zip.pt")));
        assertTrue(e.getMessage().contains("entry archive/byteorder says the storages are 'big'"), e.getMessage());
    }

    @Test
    void aTrainingCheckpointGivesTheStateDictUnderStateDict() {
        assertSameAsTorch("views.npz", TorchCheckpoint.read(TORCH.resolve("nested_zip.pt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"os_system_legacy", "os_system_zip", "custom_class_legacy", "custom_class_zip"})
    void aDisallowedGlobalIsRefusedByName(String name) {
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> TorchCheckpoint.read(TORCH.resolve(name + ".pt")));
        String global = name.startsWith("os_system") ? "posix.system" : "__main__.Custom";
        assertTrue(e.getMessage().contains("global " + global + " is not allowed"), e.getMessage());
        assertTrue(e.getMessage().contains(name.endsWith("zip") ? "in entry " + name + "/data.pkl at byte" : "at byte"),
                e.getMessage());
        assertTrue(e instanceof InvalidInputException && e.file().isPresent());
    }

    // --- hand-made legacy files: one pickle, then storages ------------------------------------------------------------

    /** A protocol 2 pickle, opcode by opcode. */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X', b.length, b.length >>> 8, b.length >>> 16, b.length >>> 24);
            out.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Pickle integer(long v) {
            op('J');
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Pickle longInteger(long v) {
            op(0x8a, 8);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        /** {@code _rebuild_tensor_v2(FloatStorage '0' of numel elements, offset, (size,), (1,), False, OrderedDict())}. */
        Pickle tensor(long numel, long offset, long size) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").longInteger(numel).op('N', 't', 'Q');
            integer(offset).integer(size).op(0x85).integer(1).op(0x85, 0x89);
            return global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        }

        /** An OrderedDict of one entry whose value the caller writes. */
        static Pickle stateDict(String key) {
            return new Pickle().op(0x80, 2).global("collections", "OrderedDict").op(')', 'R', '(').str(key);
        }

        byte[] endStateDict() {
            return op('u', '.').out.toByteArray();
        }
    }

    /** A legacy file around {@code object}: the headers torch writes, the key list ['0'] and storage '0'. */
    static byte[] legacyFile(byte[] object, long count, int dataBytes) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new Pickle().op(0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, '.')
                .out.toByteArray());
        f.writeBytes(new Pickle().op(0x80, 2, 'M', 0xe9, 0x03, '.').out.toByteArray());
        f.writeBytes(new Pickle().op(0x80, 2, '}', '.').out.toByteArray());
        f.writeBytes(object);
        f.writeBytes(new Pickle().op(0x80, 2, ']', '(').str("0").op('e', '.').out.toByteArray());
        f.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(count).array());
        f.writeBytes(new byte[dataBytes]);
        return f.toByteArray();
    }

    private String refusal(byte[] content) throws IOException {
        Path p = Files.write(tmp.resolve("bad.pt"), content);
        return assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(p)).getMessage();
    }

    private void assertRefused(byte[] content, String part) throws IOException {
        String message = refusal(content);
        assertTrue(message.contains(part), message);
    }

    @Test
    void handMadeLegacyFileReads() throws IOException {
        Path p = Files.write(tmp.resolve("ok.pt"), legacyFile(Pickle.stateDict("w").tensor(3, 1, 2).endStateDict(), 3, 12));
        Map<String, Tensor> sd = TorchCheckpoint.read(p);
        assertEquals(Set.of("w"), sd.keySet());
        assertArrayEquals(new float[] {0, 0}, sd.get("w").toFloats());
    }

    @Test
    void brokenFilesEndInClearErrors() throws IOException {
        assertRefused(new Pickle().op(0x80, 2, 'K', 5, '.').out.toByteArray(),
                "bad magic number the int 5: not a checkpoint in torch's legacy format");
        assertRefused(Pickle.stateDict("w").tensor(3, 2, 2).endStateDict(),
                "bad magic: the file starts with a pickle, but not torch's magic number: a persistent id");
        assertRefused(legacyFile(Pickle.stateDict("w").tensor(3, 2, 2).endStateDict(), 3, 12),
                "storage too short for a view");
        assertRefused(legacyFile(Pickle.stateDict("w").tensor(1L << 40, 0, 2).endStateDict(), 1L << 40, 12),
                "claims 1099511627776 elements of 4 bytes, more than the file's");
        assertRefused(legacyFile(Pickle.stateDict("w").tensor(3, 0, 2).endStateDict(), 4, 12),
                "inconsistent sizes: storage '0' has 4 elements here, 3 in the pickle");
        assertRefused(legacyFile(Pickle.stateDict("w").tensor(3, 0, 2).endStateDict(), 3, 11), "truncated");
        assertRefused(legacyFile(Pickle.stateDict("w").tensor(3, 0, 2).str("x").integer(3).endStateDict(), 3, 12),
                "'x' in the state dict is the int 3, not a tensor");
        String lying = refusal(legacyFile(Pickle.stateDict("w").op('X', 0xf0, 0xff, 0xff, 0xff).endStateDict(), 3, 12));
        assertTrue(lying.matches(".*truncated: BINUNICODE needs 4294967280 bytes, \\d+ remain \\(at byte \\d+\\).*"), lying);
        assertRefused(legacyFile(Pickle.stateDict("w").op(0xfe).endStateDict(), 3, 12),
                "unknown or unsupported pickle opcode 0xfe");
        assertRefused(legacyFile(Pickle.stateDict("w").global("torch", "IntStorage").endStateDict(), 3, 12),
                "global torch.IntStorage is a tensor type this reader does not support");
        assertRefused("not a checkpoint".getBytes(StandardCharsets.US_ASCII), "bad magic");
        assertRefused(new byte[0], "bad magic: the file starts with nothing");
        assertRefused(new byte[] {'P', 'K', 3, 4, 0}, "not a readable zip archive");
        assertTrue(assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(tmp.resolve("missing.pt")))
                .getMessage().contains("no such file"));
        assertTrue(assertThrows(CheckpointException.class, () -> TorchCheckpoint.read(tmp))
                .getMessage().contains("is a folder"));
    }

    @Test
    void aSmallPickleAskingForQuadraticWorkIsRefusedQuickly() {
        // A list of 100,000 items, memoized, then turned into a set 20,000 times: 2·10⁹ copies from 320 KB.
        Pickle p = Pickle.stateDict("w").op(']', 'q', 0, '(');
        for (int i = 0; i < 100_000; i++) {
            p.op('K', 1);
        }
        p.op('e').global("__builtin__", "set").op('q', 1);
        for (int i = 0; i < 20_000; i++) {
            p.op('h', 1, 'h', 0, 0x85, 'R', '0');
        }
        byte[] file = legacyFile(p.endStateDict(), 3, 12);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRefused(file, "the pickle asks for more copying than its length allows"));
    }

    @Test
    void objectsBuiltFromClassesAndUnknownCallsAreRefused() throws IOException {
        // An allowed global used as a class (NEWOBJ) and a REDUCE of something not callable.
        assertRefused(legacyFile(Pickle.stateDict("w").global("collections", "OrderedDict").op(')', 0x81)
                .endStateDict(), 3, 12), "creating an object of a class (opcode NEWOBJ) is not allowed");
        assertRefused(legacyFile(Pickle.stateDict("w").integer(1).op(')', 'R').endStateDict(), 3, 12),
                "REDUCE calls the int 1, which is not a function this reader allows");
        assertRefused(legacyFile(Pickle.stateDict("w").op(']', ']', ']', 's').endStateDict(), 3, 12),
                "SETITEM on a list, not a dict");
        assertRefused(legacyFile(Pickle.stateDict("w").op('}', 'K', 1, 'K', 2, 's').str("a").op('K', 3, 's')
                .endStateDict(), 3, 12), "a dict or set whose keys are of different types");
        assertRefused(legacyFile(Pickle.stateDict("w").op('}', ']', ']', 's').endStateDict(), 3, 12),
                "a list as a dict key or set member");
    }

    /** OpenAI's form of CLIP: a traced module tree saved by torch.jit.save (testdata/make_clip_references.py). */
    private static final Path SCRIPT_ARCHIVE = Fixtures.testdata().resolve("clip").resolve("openai_jit.pt");

    @Test
    void aTorchScriptArchiveReadsAsItsModulesStateDict() {
        Map<String, Tensor> sd = TorchCheckpoint.read(SCRIPT_ARCHIVE);
        // The attribute paths, as module.state_dict() names them; flags such as 'training' are left out.
        assertTrue(sd.keySet().containsAll(List.of("visual.conv1.weight", "visual.class_embedding",
                "visual.transformer.resblocks.1.attn.in_proj_weight", "visual.transformer.resblocks.1.mlp.c_proj.bias",
                "visual.proj", "token_embedding.weight", "logit_scale")), sd.keySet().toString());
        assertTrue(sd.keySet().stream().noneMatch(k -> k.endsWith("training")), sd.keySet().toString());
        assertEquals(Tensor.DType.FLOAT16, sd.get("visual.conv1.weight").dtype());
        assertEquals(Tensor.DType.FLOAT32, sd.get("visual.ln_pre.weight").dtype());
        assertArrayEquals(new int[] {192, 64}, sd.get("visual.transformer.resblocks.0.attn.in_proj_weight").shape());
        assertArrayEquals(new int[] {64, 32}, sd.get("visual.proj").shape());
        assertEquals(1, sd.get("logit_scale").size());
        assertEquals(2.6592f, sd.get("logit_scale").toFloats()[0], 0f);
        Map<String, Tensor> visual = TorchCheckpoint.read(SCRIPT_ARCHIVE, k -> k.startsWith("visual."));
        assertEquals(sd.keySet().stream().filter(k -> k.startsWith("visual.")).toList(), List.copyOf(visual.keySet()));
        assertArrayEquals(sd.get("visual.proj").toFloats(), visual.get("visual.proj").toFloats(), 0f);
    }

    @Test
    void torchScriptObjectsAreRefusedOutsideATorchScriptArchive() throws IOException {
        // The same archive without TorchScript's constants.pkl: its module classes are globals like any other.
        byte[] stripped;
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(SCRIPT_ARCHIVE.toFile());
             ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(bytes)) {
                for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                    if (!e.getName().endsWith("/constants.pkl")) {
                        out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                        out.write(in.getInputStream(e).readAllBytes());
                        out.closeEntry();
                    }
                }
            }
            stripped = bytes.toByteArray();
        }
        String message = refusal(stripped);
        assertTrue(message.matches("(?s).*global __torch__\\.\\w+ is not allowed.*"), message);
        assertRefused(legacyFile(Pickle.stateDict("w").global("__torch__.model", "CLIP").op(')', 0x81).endStateDict(),
                3, 12), "global __torch__.model.CLIP is not allowed");
    }

    /** A TorchScript archive around a hand-made data.pkl: constants.pkl, and storage '0' of 3 floats. */
    private static byte[] scriptArchive(Pickle dataPkl) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bytes)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("m/data.pkl"));
            zip.write(dataPkl.op('.').out.toByteArray());
            zip.putNextEntry(new java.util.zip.ZipEntry("m/constants.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2, ')', '.'});
            zip.putNextEntry(new java.util.zip.ZipEntry("m/data/0"));
            zip.write(new byte[12]);
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A module object of class {@code name}, memoized at {@code memo}; its attributes follow, then {@link #built}. */
    private static Pickle module(Pickle p, String name, int memo) {
        return p.global("__torch__", name).op(')', 0x81, 'q', memo, '}', '(');
    }

    private static Pickle built(Pickle p) {
        return p.op('u', 'b');
    }

    /** A zip archive's float tensor of 3 elements on storage '0'. */
    private static Pickle zipTensor(Pickle p) {
        p.global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu").longInteger(3).op('t', 'Q');
        p.integer(0).integer(3).op(0x85).integer(1).op(0x85, 0x89);
        return p.global("collections", "OrderedDict").op(')', 'R', 't', 'R');
    }

    @Test
    void torchScriptModuleTreesThatNoSaveWritesAreRefusedByName() throws IOException {
        // The hand-made writer agrees with the reader on a well-formed tree.
        Pickle ok = module(new Pickle().op(0x80, 2), "M", 0).str("w");
        Map<String, Tensor> sd = TorchCheckpoint.read(Files.write(tmp.resolve("ok.pt"),
                scriptArchive(built(zipTensor(ok)))));
        assertEquals(Set.of("w"), sd.keySet());
        // A module shared by two parents is listed under both names, as module.state_dict() does.
        Pickle shared = module(new Pickle().op(0x80, 2), "M", 0).str("a");
        built(zipTensor(module(shared, "C", 1).str("w")));
        shared.str("b").op('h', 1);
        Map<String, Tensor> both = TorchCheckpoint.read(Files.write(tmp.resolve("shared.pt"), scriptArchive(built(shared))));
        assertEquals(List.of("a.w", "b.w"), List.copyOf(both.keySet()));
        // Sharing that unfolds exponentially: 40 levels of a module whose two attributes are the same next module.
        Pickle blowUp = new Pickle().op(0x80, 2);
        for (int i = 0; i < 40; i++) {
            blowUp.global("__torch__", "M").op(')', 0x81, 'q', i, '0');     // module i, memoized at i
        }
        zipTensor(blowUp.op('h', 39, '}', '(').str("w")).op('u', 'b', '0');   // the innermost holds w
        for (int i = 38; i >= 0; i--) {
            blowUp.op('h', i, '}', '(').str("x").op('h', i + 1).str("y").op('h', i + 1, 'u', 'b', '0');
        }
        blowUp.op('h', 0);
        assertRefused(scriptArchive(blowUp), "unfolds into more than 100000 modules");
        Pickle self = module(new Pickle().op(0x80, 2), "M", 0).str("self").op('h', 0);
        assertRefused(scriptArchive(built(self)), "contains itself at 'self.'");
        Pickle dotted = module(new Pickle().op(0x80, 2), "M", 0).str("a.b");
        assertRefused(scriptArchive(built(zipTensor(dotted))), "an attribute named 'a.b', which is not a Python name");
        Pickle empty = module(new Pickle().op(0x80, 2), "M", 0).str("training").op(0x88);
        assertRefused(scriptArchive(built(empty)), "the TorchScript module __torch__.M holds no tensors");
        Pickle withArgs = new Pickle().op(0x80, 2).global("__torch__", "M").integer(1).op(0x85, 0x81);
        assertRefused(scriptArchive(withArgs), "except a TorchScript class's, with no arguments");
        Pickle twice = module(new Pickle().op(0x80, 2), "M", 0).op('u', 'b', '}', 'b');
        assertRefused(scriptArchive(twice), "BUILD on TorchScript object __torch__.M a second time");
        Pickle list = new Pickle().op(0x80, 2).global("__torch__", "M").op(')', 0x81, ']', 'b');
        assertRefused(scriptArchive(list), "the state of TorchScript object __torch__.M is a list, not a dict of attributes");
        Pickle deep = new Pickle().op(0x80, 2);
        for (int i = 0; i <= 65; i++) {
            module(deep, "M", i % 200).str("c");
        }
        zipTensor(deep);
        for (int i = 0; i <= 65; i++) {
            built(deep);
        }
        assertRefused(scriptArchive(deep), "is deeper than 64");
    }
}
