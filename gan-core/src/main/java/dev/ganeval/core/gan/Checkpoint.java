package dev.ganeval.core.gan;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Parameter;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Training checkpoints, format version 3 (all integers and floats big-endian, as {@link DataOutputStream}):
 * <pre>
 *   8 bytes   magic "GANCKPT\0"
 *   int32     format version (4)
 *   int32     number of config entries, then each as two modified-UTF-8 strings (key, value) — GanConfig.describe()
 *   int32     number of data entries, then each as two strings (key, value): what the run trains on, e.g.
 *             {@code source = mnist:train}, {@code rows = 50000} (version 4 on)
 *   int32     epochs completed
 *   int64     updates done (fixes the decayed learning rate, and Adam's bias corrections)
 *   int32     number of parameters, then for each: name (UTF), int32 rows, int32 cols,
 *             rows·cols float32 values, then the update rule's state, rows·cols float32 each: SGD's momentum
 *             buffer, or Adam's first and second moments ({@code update_rule} in the configuration; absent: SGD)
 *   int64     CRC-32 of every byte before it
 * </pre>
 * Parameters appear in {@link ReferenceGan#parameters()} order. Version 3 is version 4 without the data entries (a
 * resume then takes the data from the command line as given). Version 2 is version 3 without Adam: an SGD
 * checkpoint's bytes are the same but for the version number. Version 1 differs only in the configuration: it
 * has {@code noise_range} (the half-width of the uniform noise, the only kind it knew) where version 2 has
 * {@code noise} ({@code uniform:1.7320508075688772}, {@code normal:1.0}); it is read as the same uniform noise, and
 * the next save writes the current version. A truncated or corrupt file (CRC mismatch), a newer version, or a checkpoint of
 * another configuration is rejected with an {@link InvalidInputException}.
 */
public final class Checkpoint {
    private static final byte[] MAGIC = {'G', 'A', 'N', 'C', 'K', 'P', 'T', 0};
    /** The format version written. */
    public static final int VERSION = 4;
    private static final int OLDEST_READ = 1;

    private Checkpoint() {}

    /**
     * Writes the trainer's state atomically (to a temporary file, then renamed); a temporary file an interrupted earlier
     * save left beside it is removed first.
     */
    public static void save(GanTrainer trainer, Path file) throws IOException {
        save(trainer, file, Map.of());
    }

    /**
     * As {@link #save(GanTrainer, Path)}, recording what the run trains on ({@code source}, {@code rows}...), so that a
     * resume can train on the same data without being told and refuse other data by name.
     */
    public static void save(GanTrainer trainer, Path file, Map<String, String> data) throws IOException {
        ReferenceGan gan = trainer.gan();
        java.util.Objects.requireNonNull(data, "data");
        dev.ganeval.core.data.AtomicFiles.removeStale(file);
        dev.ganeval.core.data.AtomicFiles.write(file, raw -> write(trainer, gan, data, raw));
    }

    private static void write(GanTrainer trainer, ReferenceGan gan, Map<String, String> data, OutputStream raw)
            throws IOException {
        CRC32 crc = new CRC32();
        {
            DataOutputStream out = new DataOutputStream(new java.util.zip.CheckedOutputStream(raw, crc));
            out.write(MAGIC);
            out.writeInt(VERSION);
            Map<String, String> config = gan.config().describe();
            out.writeInt(config.size());
            for (Map.Entry<String, String> e : config.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(data.size());
            for (Map.Entry<String, String> e : data.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(trainer.epoch());
            out.writeLong(trainer.optimizer().updates());
            List<Parameter> params = gan.parameters();
            out.writeInt(params.size());
            for (Parameter p : params) {
                FloatMatrix v = p.value();
                out.writeUTF(p.name());
                out.writeInt(v.rows());
                out.writeInt(v.cols());
                writeFloats(out, v.data());
                for (float[] state : trainer.optimizer().state(p)) {
                    writeFloats(out, state);
                }
            }
            out.flush();
            // The CRC covers everything above; written through the raw stream so it does not include itself.
            new DataOutputStream(raw).writeLong(crc.getValue());
            new DataOutputStream(raw).flush();
        }
    }

    private static void writeFloats(DataOutputStream out, float[] x) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(x.length * 4);
        bb.asFloatBuffer().put(x);
        out.write(bb.array());
    }

    /**
     * The configuration a checkpoint was written with (its CRC is checked first).
     *
     * @throws InvalidInputException if the file is missing, corrupt or not a checkpoint
     */
    public static GanConfig readConfig(Path file) throws IOException {
        byte[] bytes = verified(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - 8 - MAGIC.length))) {
            Map<String, String> saved = readHeader(in, file);
            return GanConfig.fromDescription(saved);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new InvalidInputException(file, "the checkpoint's header is malformed (its CRC matches, so it was written "
                    + "that way): not a ganeval checkpoint", e);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file, "the checkpoint's configuration cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * What the checkpoint's run trained on ({@code source}, {@code rows}), as {@link #save(GanTrainer, Path, Map)}
     * recorded it; empty for a checkpoint of version 3 or older, or one saved without it.
     *
     * @throws InvalidInputException if the file is missing, corrupt or not a checkpoint
     */
    public static Map<String, String> readData(Path file) throws IOException {
        byte[] bytes = verified(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - 8 - MAGIC.length))) {
            Map<String, String> data = new LinkedHashMap<>();
            readHeader(in, file, data);
            return data;
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new InvalidInputException(file, "the checkpoint's header is malformed (its CRC matches, so it was written "
                    + "that way): not a ganeval checkpoint", e);
        }
    }

    private static Map<String, String> readHeader(DataInputStream in, Path file) throws IOException {
        return readHeader(in, file, new LinkedHashMap<>());
    }

    /** Version check and the saved configuration entries; the data entries (version 4 on) go into {@code data}. */
    private static Map<String, String> readHeader(DataInputStream in, Path file, Map<String, String> data) throws IOException {
        int version = in.readInt();
        if (version < OLDEST_READ || version > VERSION) {
            throw new InvalidInputException(file, "checkpoint format version " + version + " is not supported (this build reads "
                    + OLDEST_READ + " to " + VERSION + ")");
        }
        int entries = in.readInt();
        Map<String, String> saved = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = in.readUTF();
            String value = in.readUTF();
            if (version == 1 && key.equals("noise_range")) {
                // Same position in the map, so the configuration reads back exactly as versions 2 and 3 write it.
                key = "noise";
                value = "uniform:" + value;
            }
            saved.put(key, value);
        }
        if (version >= 4) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String key = in.readUTF();
                data.put(key, in.readUTF());
            }
        }
        return saved;
    }

    private static byte[] verified(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, "no such checkpoint");
        }
        if (bytes.length < MAGIC.length + 12 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new InvalidInputException(file, "not a ganeval checkpoint (bad magic or too short)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new InvalidInputException(file, "corrupt checkpoint: CRC mismatch (truncated or damaged file)");
        }
        return bytes;
    }

    /**
     * A trainer positioned where the checkpoint left off: a GAN built from {@code config} with the saved
     * parameters and update-rule state, the epoch and the update count.
     *
     * @throws InvalidInputException if the file is missing, corrupt, of another version, or of another configuration
     */
    public static GanTrainer load(Path file, GanConfig config, FloatMatrix data) throws IOException {
        byte[] bytes = verified(file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length, bytes.length - 8 - MAGIC.length))) {
            Map<String, String> saved = readHeader(in, file);
            Map<String, String> expected = config.describe();
            if (!saved.equals(expected)) {
                List<String> diffs = new ArrayList<>();
                java.util.Set<String> keys = new java.util.LinkedHashSet<>(expected.keySet());
                keys.addAll(saved.keySet());
                for (String k : keys) {
                    if (!setting(expected, k).equals(setting(saved, k))) {
                        diffs.add(k + ": checkpoint " + setting(saved, k) + ", requested " + setting(expected, k));
                    }
                }
                throw new InvalidInputException(file, "checkpoint was written for another configuration (" + String.join("; ", diffs) + ")");
            }
            int epoch = in.readInt();
            long updates = in.readLong();
            ReferenceGan gan = new ReferenceGan(config, null);
            GanTrainer trainer = new GanTrainer(gan, data);
            List<Parameter> params = gan.parameters();
            int count = in.readInt();
            if (count != params.size()) {
                throw new InvalidInputException(file, "checkpoint holds " + count + " parameters, the model has " + params.size());
            }
            for (Parameter p : params) {
                String name = in.readUTF();
                int rows = in.readInt();
                int cols = in.readInt();
                if (!name.equals(p.name()) || rows != p.value().rows() || cols != p.value().cols()) {
                    throw new InvalidInputException(file, "parameter " + name + " " + rows + "x" + cols + " does not match the model's "
                            + p.name() + " " + p.value().rows() + "x" + p.value().cols());
                }
                readFloats(in, p.value().data());
                for (float[] state : trainer.optimizer().state(p)) {
                    readFloats(in, state);
                }
            }
            trainer.restore(epoch, updates);
            return trainer;
        } catch (EOFException e) {
            throw new InvalidInputException(file, "truncated checkpoint", e);
        }
    }

    private static String setting(Map<String, String> description, String key) {
        String value = GanConfig.setting(description, key);
        return value != null ? value : "(not set)";
    }

    private static void readFloats(DataInputStream in, float[] x) throws IOException {
        byte[] b = new byte[x.length * 4];
        in.readFully(b);
        ByteBuffer.wrap(b).asFloatBuffer().get(x);
    }
}
