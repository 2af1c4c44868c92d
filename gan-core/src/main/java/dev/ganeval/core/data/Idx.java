package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Reader for IDX files, the format of MNIST and Fashion-MNIST: a 4-byte magic {@code 0 0 type ndim}, then
 * {@code ndim} big-endian 32-bit dimensions, then the values big-endian, row-major. Plain or gzip-compressed
 * (detected from the content, not the name).
 *
 * <p>Every problem — a missing file, a wrong magic, an unknown type code, a header whose dimensions do not
 * match the file's length, trailing bytes — is an {@link InvalidInputException} naming the file.
 */
public final class Idx {
    /** The IDX element types. */
    public enum DataType {
        UBYTE(0x08, 1), BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        final int code;
        final int size;

        DataType(int code, int size) {
            this.code = code;
            this.size = size;
        }

        static DataType of(int code, Path file) {
            for (DataType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new InvalidInputException(file, String.format(
                    "not an IDX file: unknown type code 0x%02X in the magic number (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)", code));
        }
    }

    /**
     * The contents of an IDX file: its element type, its shape and its values as floats (exact for every type
     * but INT beyond 2²⁴ and DOUBLE).
     */
    public record IdxArray(Path source, DataType type, int[] shape, float[] values) {
        public IdxArray {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Number of items: the first dimension. */
        public int count() {
            return shape[0];
        }

        /**
         * One row per item, the remaining dimensions flattened, each value divided by {@code divisor}
         * (255 turns MNIST bytes into [0,1], rounded exactly as {@code x / 255f} in NumPy or PyTorch).
         */
        public FloatMatrix toMatrix(float divisor) {
            int rows = shape[0];
            int cols = rows == 0 ? 0 : values.length / rows;
            float[] data = new float[values.length];
            for (int i = 0; i < data.length; i++) {
                data[i] = values[i] / divisor;
            }
            return new FloatMatrix(rows, cols, data);
        }
    }

    private Idx() {}

    /** Reads any IDX file. */
    public static IdxArray read(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream raw = new BufferedInputStream(Streams.open(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return read(in, file, gzip ? -1 : Files.size(file));
        } catch (EOFException e) {
            throw new InvalidInputException(file, "truncated: the file ends inside the IDX header", e);
        } catch (java.util.zip.ZipException e) {
            throw new InvalidInputException(file, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    private static IdxArray read(InputStream in, Path file, long fileSize) throws IOException {
        DataInputStream din = new DataInputStream(in);
        int magic = din.readInt();
        if ((magic >>> 16) != 0) {
            throw new InvalidInputException(file, String.format(
                    "not an IDX file: magic number 0x%08X does not start with two zero bytes", magic));
        }
        DataType type = DataType.of((magic >>> 8) & 0xFF, file);
        int ndim = magic & 0xFF;
        if (ndim < 1 || ndim > 8) {
            throw new InvalidInputException(file, "not an IDX file: " + ndim + " dimensions declared (expected 1 to 8)");
        }
        long[] dims = new long[ndim];
        for (int i = 0; i < ndim; i++) {
            dims[i] = Integer.toUnsignedLong(din.readInt());
        }
        long count = Streams.elementCount(dims, file);
        long dataBytes = count * type.size;
        long headerBytes = 4L + 4L * ndim;
        if (fileSize >= 0 && fileSize != headerBytes + dataBytes) {
            String what = fileSize < headerBytes + dataBytes ? "truncated" : "trailing data";
            throw new InvalidInputException(file, what + ": the header declares shape " + Arrays.toString(dims) + " of "
                    + type + " (" + (headerBytes + dataBytes) + " bytes with the header) but the file has " + fileSize + " bytes");
        }
        byte[] bytes = Streams.readExactly(din, dataBytes, file, "the IDX header");
        if (fileSize < 0 && din.read() >= 0) {
            throw new InvalidInputException(file, "trailing data: more bytes follow the " + count
                    + " values the header declares (shape " + Arrays.toString(dims) + ")");
        }
        float[] values = new float[(int) count];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        switch (type) {
            case UBYTE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes[i] & 0xFF;
                }
            }
            case BYTE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bytes[i];
                }
            }
            case SHORT -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bb.getShort(2 * i);
                }
            }
            case INT -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = bb.getInt(4 * i);
                }
            }
            case FLOAT -> bb.asFloatBuffer().get(values);
            case DOUBLE -> {
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) bb.getDouble(8 * i);
                }
            }
        }
        int[] shape = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            shape[i] = (int) dims[i];
        }
        return new IdxArray(file, type, shape, values);
    }

    /**
     * Reads an image file such as {@code train-images-idx3-ubyte}: unsigned bytes, shape {@code n × h × w},
     * returned as an {@code n × (h·w)} matrix in [0, 1].
     */
    public static FloatMatrix readImages(Path file) {
        IdxArray a = read(file);
        if (a.type() != DataType.UBYTE || a.shape.length != 3) {
            throw new InvalidInputException(file, "expected unsigned-byte images of shape n x height x width, found "
                    + a.type() + " of shape " + Arrays.toString(a.shape));
        }
        return a.toMatrix(255f);
    }

    /** Reads a label file such as {@code train-labels-idx1-ubyte}: one unsigned byte per item. */
    public static int[] readLabels(Path file) {
        IdxArray a = read(file);
        if (a.type() != DataType.UBYTE || a.shape.length != 1) {
            throw new InvalidInputException(file, "expected unsigned-byte labels of shape n, found "
                    + a.type() + " of shape " + Arrays.toString(a.shape));
        }
        int[] labels = new int[a.values.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) a.values[i];
        }
        return labels;
    }
}
