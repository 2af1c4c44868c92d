package dev.ganeval.core.torch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the state dict (parameter name → tensor) of a PyTorch checkpoint, safely: as torch.load(weights_only=True)
 * does, it builds only plain containers and tensors, and refuses by name any Python global outside a short
 * allow-list ({@code collections.OrderedDict}, torch._utils' {@code _rebuild_tensor}, {@code _rebuild_tensor_v2},
 * {@code _rebuild_tensor_v3}, {@code _rebuild_parameter}, torch's storage classes and dtypes, and the builtins
 * {@code set}, {@code frozenset} and {@code _codecs.encode} that protocol 2 uses for plain values). Nothing in the
 * file is executed.
 *
 * <p>Formats: the zip format torch.save writes since 1.6 ({@code <archive>/data.pkl}, the storages in
 * {@code <archive>/data/<key>}, whatever the archive folder is called) and the legacy format
 * ({@code _use_new_zipfile_serialization=False}, and every file saved before torch 1.6, such as pytorch-fid's
 * Inception weights): five pickles (magic number, protocol version 1001, system info, the object, the storage keys)
 * then each storage's element count (8 bytes, little-endian) and bytes, in key order. Tensors are rebuilt from
 * storage, offset, shape and strides, so views (transposed, sliced, expanded), storages shared by several tensors
 * and the storage views of old legacy files come out as torch shows them, in row-major order. Element types:
 * float32, float64, float16, bfloat16 (both widened exactly to float32) and int64, as the typed storage classes
 * (FloatStorage, DoubleStorage, HalfStorage, BFloat16Storage, LongStorage) or as an UntypedStorage with a dtype
 * global ({@code torch.float32} ...) where newer torch writes {@code _rebuild_tensor_v3}.
 *
 * <p>Why a pickle machine of our own ({@link Unpickler}) rather than net.razorvine:pickle (Pyrolite) 1.5: Pyrolite
 * resolves globals through a static, JVM-wide constructor table, and a global it does not know becomes a ClassDict
 * object rather than an error, so the allow-list could only be enforced by overriding its opcode dispatch for
 * GLOBAL, STACK_GLOBAL, INST, OBJ, NEWOBJ, REDUCE and BUILD (BUILD calls {@code __setstate__} by reflection); it
 * allocates every length-prefixed string or byte string at the size the data claims (up to 2 GiB) before reading
 * it; and its OrderedDict would be a HashMap, losing the parameters' order. Overriding that much leaves the library
 * little to do: the opcodes torch writes are about forty, each a few lines here, with every length checked against
 * the bytes that remain and every refusal naming the global, opcode and byte offset.
 *
 * <p>TorchScript archives ({@code torch.jit.save}, such as OpenAI's CLIP releases) are read the same way: their
 * {@code data.pkl} pickles the module tree, each module an object of a class under {@code __torch__} whose state is a
 * dict of attributes, and the state dict is the tree's tensors named by their attribute paths, as
 * {@code module.state_dict()} names them. Such objects are allowed only in a zip archive that has TorchScript's
 * {@code constants.pkl}, and only as holders of attributes: the archive's code is never read, let alone run.
 *
 * <p>Bounds: no size the file claims is allocated before it is checked against the file (a lying header ends in a
 * {@link CheckpointException}, not an OutOfMemoryError); a single storage or tensor is at most 2³¹ − 9 bytes or
 * elements (Java arrays); and since views can repeat a storage's elements (stride 0, or many tensors over one
 * storage), the tensors returned may hold at most 8 × the file's size + 64 MiB.
 */
public final class TorchCheckpoint {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    private static final long EXPANSION = 8;
    private static final long EXPANSION_SLACK = 64L << 20;
    /** Deflate's largest compression ratio: the most a compressed entry can expand to. */
    private static final long DEFLATE_RATIO = 1032;
    /** Deeper than any real network's module tree; bounds the walk of a hostile one. */
    private static final int MAX_MODULE_DEPTH = 64;
    /** More modules than any network's tree has (ViT-g has a few hundred); bounds the walk of shared ones. */
    private static final long MAX_MODULE_VISITS = 100_000;

    /** A storage the file holds, as its persistent ids declare it. */
    private static final class Stored {
        final String key;
        final Tensor.DType dtype;
        final long numel;
        final StorageRef whole;
        /** Where its bytes start in a legacy file; -1 until the storage key list places them. */
        long fileOffset = -1;

        Stored(String key, Tensor.DType dtype, long numel, long nbytes) {
            this.key = key;
            this.dtype = dtype;
            this.numel = numel;
            this.whole = new StorageRef(key, "storage '" + key + "'", dtype, 0, nbytes);
        }
    }

    private interface StorageBytes {
        ByteBuffer read(Stored s);
    }

    private final Path file;
    private final long fileSize;
    private final boolean legacy;
    private final Predicate<String> keep;
    private final Map<String, Stored> stored = new LinkedHashMap<>();
    /** The storage views of old legacy files, by view key. */
    private final Map<String, StorageRef> views = new HashMap<>();
    private ZipFile zip;
    private String archive;

    private TorchCheckpoint(Path file, long fileSize, boolean legacy, Predicate<String> keep) {
        this.file = file;
        this.fileSize = fileSize;
        this.legacy = legacy;
        this.keep = keep;
    }

    /**
     * The state dict of a checkpoint: a dict (or OrderedDict) of tensors at the top, or under the key
     * {@code "state_dict"} of a training checkpoint's dict (the other entries of that dict are read, so they must
     * be plain values, and then ignored). Names and order are the file's.
     *
     * @throws CheckpointException      the file is not a readable checkpoint or names a global that is not allowed;
     *                                  the message says what and where
     * @throws UncheckedIOException     reading failed for a reason other than the file's contents
     */
    public static Map<String, Tensor> read(Path file) {
        return read(file, name -> true);
    }

    /**
     * As {@link #read(Path)}, building only the tensors whose names {@code keep} accepts (the others are checked as
     * they are declared, but their data is not read): one tower of a two-tower checkpoint without the other's memory.
     */
    public static Map<String, Tensor> read(Path file, Predicate<String> keep) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keep, "keep");
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file, "is a folder, expected a file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteInput.readAt(ch, 0, (int) Math.min(4, size), file);
            byte[] magic = new byte[head.remaining()];
            head.get(magic);
            if (magic.length >= 2 && magic[0] == 'P' && magic[1] == 'K') {
                return new TorchCheckpoint(file, size, false, keep).readZip();
            }
            if (magic.length >= 1 && (magic[0] & 0xff) == 0x80) {
                return new TorchCheckpoint(file, size, true, keep).readLegacy(ch);
            }
            StringBuilder hex = new StringBuilder();
            for (byte b : magic) {
                hex.append(String.format(" %02x", b & 0xff));
            }
            throw new CheckpointException(file, "bad magic: the file starts with" + (magic.length == 0 ? " nothing"
                    : hex) + ", neither a zip archive (PK) nor torch's legacy format (a pickle, 0x80)");
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new CheckpointException(file, "permission denied");
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Tensor> readLegacy(FileChannel ch) {
        ByteInput in = ByteInput.of(ch, fileSize, file);
        Object magic;
        try {
            magic = new Unpickler(in, null).load();
        } catch (CheckpointException e) {
            throw new CheckpointException(file, "bad magic: the file starts with a pickle, but not torch's magic number: "
                    + e.reason(), e);
        }
        if (!MAGIC.equals(magic)) {
            throw in.fail(0, "bad magic number " + Unpickler.describe(magic) + ": not a checkpoint in torch's legacy format");
        }
        long at = in.position();
        Object version = new Unpickler(in, null).load();
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
            throw in.fail(at, "legacy protocol version " + Unpickler.describe(version) + ", expected " + PROTOCOL_VERSION);
        }
        at = in.position();
        Object sysInfo = new Unpickler(in, null).load();
        if (sysInfo instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("little_endian"))) {
            throw in.fail(at, "written on a big-endian machine; only little-endian checkpoints are read");
        }
        Object obj = new Unpickler(in, this::storage).load();
        at = in.position();
        Object keys = new Unpickler(in, null).load();
        if (!(keys instanceof ArrayList<?> list)) {
            throw in.fail(at, "the storage key list is " + Unpickler.describe(keys) + ", not a list");
        }
        Set<String> seen = new HashSet<>();
        for (Object k : list) {
            long kat = in.position();
            if (!(k instanceof String key) || !stored.containsKey(key)) {
                throw in.fail(at, "the storage key list names " + Unpickler.describe(k) + ", which no tensor uses");
            }
            if (!seen.add(key)) {
                throw in.fail(at, "the storage key list names storage '" + key + "' twice");
            }
            Stored s = stored.get(key);
            long count = in.le(8, "storage '" + key + "''s element count");
            if (count != s.numel) {
                throw in.fail(kat, "inconsistent sizes: storage '" + key + "' has " + Long.toUnsignedString(count)
                        + " elements here, " + s.numel + " in the pickle");
            }
            s.fileOffset = in.position();
            in.skip(s.whole.nbytes(), "storage '" + key + "''s data");
        }
        for (Stored s : stored.values()) {
            if (s.fileOffset < 0) {
                throw in.fail(at, "storage '" + s.key + "' is missing from the storage key list, so its data is not in"
                        + " the file");
            }
        }
        return materialize(kept(stateDict(obj)), s -> ByteInput.readAt(ch, s.fileOffset, (int) s.whole.nbytes(), file));
    }

    private Map<String, Tensor> readZip() {
        try (ZipFile z = openZip()) {
            zip = z;
            List<ZipEntry> pickles = zipAccess("listing the entries", () -> {
                List<ZipEntry> found = new ArrayList<>();
                Enumeration<? extends ZipEntry> entries = z.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    String name = e.getName();
                    if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                        found.add(e);
                    }
                }
                return found;
            });
            if (pickles.size() != 1) {
                throw new CheckpointException(file, pickles.isEmpty()
                        ? "a zip archive without an <archive>/data.pkl entry: not a torch checkpoint"
                        : "a zip archive with " + pickles.size() + " <archive>/data.pkl entries, expected one");
            }
            ZipEntry pkl = pickles.get(0);
            archive = pkl.getName().substring(0, pkl.getName().indexOf('/'));
            ZipEntry order = zipAccess("finding the byteorder entry", () -> z.getEntry(archive + "/byteorder"));
            if (order != null) {
                String byteOrder = new String(entryBytes(order, 16), StandardCharsets.US_ASCII).trim();
                if (!byteOrder.equals("little")) {
                    throw new CheckpointException(file, "entry " + order.getName() + " says the storages are '"
                            + byteOrder + "'; only little-endian checkpoints are read");
                }
            }
            // A TorchScript archive (torch.jit.save) holds its modules' code and constants beside data.pkl, which
            // pickles the module tree itself; its tensors are the modules' attributes.
            boolean script = zipAccess("finding the constants.pkl entry",
                    () -> z.getEntry(archive + "/constants.pkl") != null);
            byte[] pickle = entryBytes(pkl, MAX_BYTES);
            Object obj = new Unpickler(ByteInput.of(pickle, file, pkl.getName()), this::storage, script).load();
            return materialize(kept(stateDict(obj)), s -> {
                ZipEntry e = zipAccess("finding " + dataEntry(s.key), () -> z.getEntry(dataEntry(s.key)));
                return ByteBuffer.wrap(entryBytes(e, s.whole.nbytes())).order(ByteOrder.LITTLE_ENDIAN);
            });
        } catch (IOException e) {
            throw new CheckpointException(file, "not a readable zip archive: " + e.getMessage(), e);
        }
    }

    private ZipFile openZip() {
        try {
            return new ZipFile(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "not a readable zip archive: " + e.getMessage(), e);
        }
    }

    private interface ZipAction<T> {
        T run() throws IOException;
    }

    /** Runs a ZipFile call; a corrupt archive makes the JDK throw ZipException or, for bad names, runtime errors. */
    private <T> T zipAccess(String what, ZipAction<T> action) {
        try {
            return action.run();
        } catch (EOFException e) {
            throw new CheckpointException(file, "truncated: the file ended while " + what, e);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(file, "corrupt zip archive (" + what + "): "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    private String dataEntry(String key) {
        return archive + "/data/" + key;
    }

    /** An entry's bytes, its claimed size checked against {@code max} and against what the file can hold. */
    private byte[] entryBytes(ZipEntry e, long max) {
        long size = e.getSize();
        long packed = e.getCompressedSize();
        long bound = e.getMethod() == ZipEntry.STORED ? fileSize : Math.max(packed, 0) * DEFLATE_RATIO + 1024;
        if (size < 0 || size > max || size > bound) {
            throw new CheckpointException(file, "entry " + e.getName() + " claims " + size + " bytes, more than "
                    + (size > max ? "expected (" + max + ")" : "the file can hold"));
        }
        byte[] bytes = zipAccess("reading entry " + e.getName(), () -> {
            try (InputStream s = zip.getInputStream(e)) {
                return s.readNBytes((int) size);
            }
        });
        if (bytes.length != size) {
            throw new CheckpointException(file, "truncated: entry " + e.getName() + " ended after " + bytes.length
                    + " of its " + size + " bytes");
        }
        return bytes;
    }

    /**
     * The persistent load: a storage from the tuple torch writes for it, {@code ('storage', storage class, key,
     * location, numel)} in zip files and the same with a sixth element (a storage view or None) in legacy files.
     */
    private Object storage(Object pid) {
        if (!(pid instanceof Unpickler.Tuple t) || t.size() == 0) {
            throw new Unpickler.Refusal("a persistent id that is " + Unpickler.describe(pid) + ", not a storage's tuple");
        }
        if ("module".equals(t.get(0))) {
            throw new Unpickler.Refusal("the checkpoint pickles a whole nn.Module, not a state dict (save"
                    + " model.state_dict() instead)");
        }
        int arity = legacy ? 6 : 5;
        if (!"storage".equals(t.get(0)) || t.size() != arity) {
            throw new Unpickler.Refusal("a persistent id that is not a storage's tuple ('storage' and " + (arity - 1)
                    + " items)");
        }
        if (!(t.get(1) instanceof Globals.StorageClass type)) {
            throw new Unpickler.Refusal("a storage whose type is " + Unpickler.describe(t.get(1)));
        }
        if (!(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw new Unpickler.Refusal("a storage whose key or element count is not a str and an int ≥ 0");
        }
        Tensor.DType dtype = type.dtype();
        int es = dtype == null ? 1 : dtype.bytes();
        if (legacy && numel > fileSize / es) {
            throw new Unpickler.Refusal("storage '" + key + "' claims " + numel + " elements of " + es + " bytes, more"
                    + " than the file's " + fileSize + " bytes");
        }
        if (numel > MAX_BYTES / es) {
            throw new Unpickler.Refusal("storage '" + key + "' claims " + numel + " elements of " + es + " bytes, more"
                    + " than this reader takes in one array (2 GiB)");
        }
        Stored s = stored.get(key);
        if (s == null) {
            if (!legacy) {
                ZipEntry e = zipAccess("finding " + dataEntry(key), () -> zip.getEntry(dataEntry(key)));
                if (e == null) {
                    throw new Unpickler.Refusal("storage '" + key + "' has no entry " + dataEntry(key));
                }
                if (e.getSize() != numel * es) {
                    throw new Unpickler.Refusal("inconsistent sizes: storage '" + key + "' claims " + numel + " elements"
                            + " of " + es + " bytes, entry " + e.getName() + " holds " + e.getSize() + " bytes");
                }
            }
            s = new Stored(key, dtype, numel, numel * es);
            stored.put(key, s);
        } else if (s.dtype != dtype || s.numel != numel) {
            throw new Unpickler.Refusal("inconsistent sizes: storage '" + key + "' is declared as " + s.numel + " "
                    + s.dtype + " elements and as " + numel + " " + dtype + " elements");
        }
        return legacy && t.get(5) != null ? view(s, t.get(5)) : s.whole;
    }

    /** A legacy storage view {@code (view key, offset, size)} of a stored storage, in elements. */
    private StorageRef view(Stored s, Object metadata) {
        if (!(metadata instanceof Unpickler.Tuple v) || v.size() != 3 || !(v.get(0) instanceof String viewKey)
                || !(v.get(1) instanceof Long offset) || !(v.get(2) instanceof Long size) || offset < 0 || size < 0) {
            throw new Unpickler.Refusal("a storage view that is not (key, offset, size)");
        }
        if (offset > s.numel || size > s.numel - offset) {
            throw new Unpickler.Refusal("storage too short for a view: storage view '" + viewKey + "' takes elements "
                    + offset + " to " + (offset + size) + " of storage '" + s.key + "', which holds " + s.numel);
        }
        int es = s.dtype == null ? 1 : s.dtype.bytes();
        StorageRef ref = new StorageRef(s.key, "storage view '" + viewKey + "' of storage '" + s.key + "'", s.dtype,
                offset * es, size * es);
        StorageRef before = views.putIfAbsent(viewKey, ref);
        if (before != null && !before.equals(ref)) {
            throw new Unpickler.Refusal("inconsistent sizes: storage view '" + viewKey + "' is declared twice, differently");
        }
        return before != null ? before : ref;
    }

    /** The tensors of the state dict the checkpoint holds, by name, in the file's order. */
    private Map<String, TensorRef> stateDict(Object obj) {
        if (obj instanceof Unpickler.ScriptObject module) {
            Map<String, TensorRef> refs = new LinkedHashMap<>();
            moduleTensors(module, "", refs, java.util.Collections.newSetFromMap(new IdentityHashMap<>()), new long[1]);
            if (refs.isEmpty()) {
                throw new CheckpointException(file, "the TorchScript module " + module.className + " holds no tensors");
            }
            return refs;
        }
        if (!(obj instanceof Map<?, ?> top)) {
            throw new CheckpointException(file, "the checkpoint holds " + Unpickler.describe(obj)
                    + ", not a state dict (a dict of tensors)");
        }
        Map<?, ?> dict = top;
        String where = "the state dict";
        if (top.get("state_dict") instanceof Map<?, ?> inner) {
            dict = inner;
            where = "the state dict under 'state_dict'";
        }
        Map<String, TensorRef> refs = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new CheckpointException(file, "a key of " + where + " is " + Unpickler.describe(e.getKey())
                        + ", not a str");
            }
            if (!(e.getValue() instanceof TensorRef ref)) {
                throw new CheckpointException(file, "'" + name + "' in " + where + " is "
                        + Unpickler.describe(e.getValue()) + ", not a tensor");
            }
            refs.put(name, ref);
        }
        return refs;
    }

    private Map<String, TensorRef> kept(Map<String, TensorRef> refs) {
        refs.keySet().removeIf(name -> !keep.test(name));
        return refs;
    }

    /**
     * A TorchScript module's tensors, named as its {@code state_dict()} names them: the attribute path from the top
     * module, dot-separated ({@code visual.conv1.weight}). Other attributes (flags, numbers, None) are left out.
     */
    private void moduleTensors(Unpickler.ScriptObject module, String prefix, Map<String, TensorRef> out,
                               Set<Unpickler.ScriptObject> path, long[] visits) {
        // A module shared by two parents is listed under both names, as module.state_dict() lists it; a module that
        // contains itself, a tree deeper than any network's, or sharing that unfolds into more modules than any real
        // network has (a few kilobytes of memoized pickle can ask for 2^64) is refused.
        if (path.contains(module)) {
            throw new CheckpointException(file, "the TorchScript module tree contains itself at '" + prefix + "'");
        }
        if (path.size() == MAX_MODULE_DEPTH) {
            throw new CheckpointException(file, "the TorchScript module tree is deeper than " + MAX_MODULE_DEPTH
                    + " at '" + prefix + "'");
        }
        if (++visits[0] > MAX_MODULE_VISITS) {
            throw new CheckpointException(file, "the TorchScript module tree unfolds into more than " + MAX_MODULE_VISITS
                    + " modules (shared modules repeated): not a network's tree");
        }
        path.add(module);
        for (Map.Entry<String, Object> e : module.attributes().entrySet()) {
            String name = e.getKey();
            boolean holds = e.getValue() instanceof TensorRef || e.getValue() instanceof Unpickler.ScriptObject;
            if (holds && (name.isEmpty() || name.indexOf('.') >= 0)) {
                // "a.b" would clash with attribute b of a child a.
                throw new CheckpointException(file, "the TorchScript module at '" + prefix + "' has an attribute named '"
                        + name + "', which is not a Python name");
            }
            if (e.getValue() instanceof TensorRef ref) {
                out.put(prefix + name, ref);
            } else if (e.getValue() instanceof Unpickler.ScriptObject child) {
                moduleTensors(child, prefix + name + ".", out, path, visits);
            }
        }
        path.remove(module);
    }

    /** Reads each storage once and builds every tensor viewing it. */
    private Map<String, Tensor> materialize(Map<String, TensorRef> refs, StorageBytes storageBytes) {
        Map<TensorRef, Tensor> built = new IdentityHashMap<>();
        Map<String, List<TensorRef>> byStorage = new LinkedHashMap<>();
        long total = 0;
        for (TensorRef ref : refs.values()) {
            if (!built.containsKey(ref)) {
                built.put(ref, null);
                total += ref.outputBytes();
                byStorage.computeIfAbsent(ref.storage().key(), k -> new ArrayList<>()).add(ref);
            }
        }
        long budget = EXPANSION * fileSize + EXPANSION_SLACK;
        if (total > budget) {
            throw new CheckpointException(file, "the tensors' views add up to " + total + " bytes, more than "
                    + EXPANSION + " × the file's size + 64 MiB (" + budget + "): views repeat their storages' elements"
                    + " too often for a real state dict");
        }
        for (Map.Entry<String, List<TensorRef>> group : byStorage.entrySet()) {
            ByteBuffer data = storageBytes.read(stored.get(group.getKey()));
            for (TensorRef ref : group.getValue()) {
                built.put(ref, ref.build(data));
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        refs.forEach((name, ref) -> out.put(name, built.get(ref)));
        return out;
    }
}
