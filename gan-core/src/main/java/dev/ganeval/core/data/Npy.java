package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npy} (format versions 1.0, 2.0 and 3.0) and {@code .npz} (a zip of {@code .npy} entries,
 * stored or deflated, zip64 included), read and written.
 *
 * <p>Supported dtypes are those of {@link NpyArray.DType} in either byte order, stored in C or Fortran order;
 * {@link #read} returns them little-endian and in C order, as {@link NpyArray} holds every array (a matrix saved as
 * {@code np.save(f, a.T)} is Fortran-ordered, and float16 is what half-precision PyTorch features become). An
 * unsupported dtype, or a header whose shape does not match the data, is an {@link InvalidInputException} that
 * names the file and says how to re-save the array.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {}

    /** Reads one {@code .npy} file. */
    public static NpyArray read(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = new BufferedInputStream(Streams.open(file), 1 << 16)) {
            return read(in, Files.size(file), file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one array from a stream.
     *
     * @param size  the number of bytes the array occupies in the stream, or -1 if unknown (then the stream
     *              must end right after the data)
     * @param source named in error messages (a file, or {@code archive.npz/entry.npy})
     */
    public static NpyArray read(InputStream in, long size, Path source) throws IOException {
        DataInputStream din = new DataInputStream(in);
        byte[] magic = new byte[6];
        int major;
        long headerLen;
        try {
            din.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new InvalidInputException(source, "not a .npy file: it does not start with \\x93NUMPY");
            }
            major = din.readUnsignedByte();
            din.readUnsignedByte();
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(din.readShort()));
            } else if (major == 2 || major == 3) {
                headerLen = Integer.toUnsignedLong(Integer.reverseBytes(din.readInt()));
            } else {
                throw new InvalidInputException(source, "unsupported .npy format version " + major
                        + " (this reader knows 1, 2 and 3)");
            }
            if (headerLen > MAX_HEADER) {
                throw new InvalidInputException(source, "corrupt .npy header: it declares a header of " + headerLen + " bytes");
            }
        } catch (EOFException e) {
            throw new InvalidInputException(source, "truncated: the file ends inside the .npy preamble", e);
        }
        byte[] headerBytes = din.readNBytes((int) headerLen);
        if (headerBytes.length < headerLen) {
            throw new InvalidInputException(source, "truncated: the file ends inside the .npy header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = descr(header, source);
        NpyArray.DType dtype = parseDType(descr, source);
        boolean bigEndian = descr.startsWith(">") && dtype.size() > 1;
        Matcher fortran = FORTRAN.matcher(header);
        if (!fortran.find()) {
            throw new InvalidInputException(source, "malformed .npy header (no fortran_order): " + preview(header));
        }
        boolean fortranOrder = fortran.group(1).equals("True");
        long[] shape = parseShape(header, source);
        long count = Streams.elementCount(shape, source);
        long dataBytes = count * dtype.size();
        long preamble = 6 + 2 + (major == 1 ? 2 : 4) + headerLen;
        if (size >= 0 && size - preamble != dataBytes) {
            String what = size - preamble < dataBytes ? "truncated" : "trailing data";
            throw new InvalidInputException(source, what + ": the header declares shape " + java.util.Arrays.toString(shape)
                    + " of " + dtype.descr() + " (" + dataBytes + " bytes of data) but " + (size - preamble) + " bytes follow the header");
        }
        byte[] data = Streams.readExactly(din, dataBytes, source, "the .npy header");
        if (size < 0 && din.read() >= 0) {
            throw new InvalidInputException(source, "trailing data after the " + count + " elements the header declares");
        }
        int[] ishape = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ishape[i] = (int) shape[i];
        }
        if (bigEndian) {
            swapBytes(data, dtype.size());
        }
        if (fortranOrder && shape.length > 1) {
            data = toCOrder(data, ishape, dtype.size());
        }
        return new NpyArray(dtype, ishape, data);
    }

    private static String descr(String header, Path source) {
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw new InvalidInputException(source, "malformed .npy header (no descr): " + preview(header));
        }
        return m.group(1);
    }

    /** The dtype of {@code descr} in either byte order ({@code |}, {@code <}, {@code >} or {@code =}). */
    private static NpyArray.DType parseDType(String descr, Path source) {
        String kind = descr.isEmpty() ? "" : descr.substring(1);
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        for (NpyArray.DType t : NpyArray.DType.values()) {
            boolean orderOk = t.size() == 1 ? order == '|' || order == '<' || order == '>' || order == '='
                    : order == '<' || order == '>' || order == '=';
            if (orderOk && t.descr().substring(1).equals(kind)) {
                return t;
            }
        }
        throw new InvalidInputException(source, "unsupported dtype " + descr + ": this reader takes f2, f4, f8, u1, i4 "
                + "and i8 (either byte order); convert with a.astype(np.float32)");
    }

    /** Reverses the bytes of each {@code size}-byte element in place (big-endian to little-endian). */
    private static void swapBytes(byte[] data, int size) {
        for (int base = 0; base < data.length; base += size) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                byte t = data[base + i];
                data[base + i] = data[base + j];
                data[base + j] = t;
            }
        }
    }

    /**
     * The {@code cols × rows} C-ordered matrix of {@code size}-byte elements (a Fortran-ordered {@code rows × cols}
     * one) transposed, in 64 × 64 tiles: walking it element by element strides the destination by a whole row per
     * element, a cache miss each time (0.7 s instead of 0.1 s for 10,000 × 2,048 floats).
     */
    private static byte[] transpose(byte[] in, int rows, int cols, int size) {
        byte[] out = new byte[in.length];
        final int tile = 64;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        int src = (int) (((long) r * cols + c) * size);
                        int dst = (int) (((long) c * rows + r) * size);
                        for (int b = 0; b < size; b++) {
                            out[dst + b] = in[src + b];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The elements of a Fortran-ordered array (first index fastest) rearranged into C order (last index fastest).
     * Walks the source in its own order and keeps the destination offset with an odometer over the indices.
     */
    static byte[] toCOrder(byte[] fortran, int[] shape, int size) {
        if (shape.length == 2) {
            return transpose(fortran, shape[1], shape[0], size);
        }
        int nd = shape.length;
        long[] cStride = new long[nd];
        long stride = size;
        for (int k = nd - 1; k >= 0; k--) {
            cStride[k] = stride;
            stride *= shape[k];
        }
        byte[] out = new byte[fortran.length];
        int[] index = new int[nd];
        long dst = 0;
        for (int src = 0; src < fortran.length; src += size) {
            for (int b = 0; b < size; b++) { // at most 8 bytes: cheaper than a System.arraycopy call
                out[(int) dst + b] = fortran[src + b];
            }
            for (int k = 0; k < nd; k++) {
                if (++index[k] < shape[k]) {
                    dst += cStride[k];
                    break;
                }
                dst -= (long) (shape[k] - 1) * cStride[k];
                index[k] = 0;
            }
        }
        return out;
    }

    private static long[] parseShape(String header, Path source) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new InvalidInputException(source, "malformed .npy header (no shape): " + preview(header));
        }
        String body = m.group(1).trim();
        if (body.isEmpty()) {
            return new long[0];
        }
        String[] parts = body.split(",");
        int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        long[] shape = new long[n];
        for (int i = 0; i < n; i++) {
            String p = parts[i].trim().replace("L", "");
            try {
                shape[i] = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw new InvalidInputException(source, "malformed .npy header: shape (" + body + ") has a non-integer entry '" + p + "'");
            }
        }
        return shape;
    }

    /** The start of a header for a message: printable ASCII only, at most 60 characters (a corrupt one is binary). */
    private static String preview(String header) {
        StringBuilder sb = new StringBuilder();
        String h = header.strip();
        for (int i = 0; i < Math.min(60, h.length()); i++) {
            char c = h.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return "'" + sb + (h.length() > 60 ? "…'" : "'");
    }

    /** Writes one {@code .npy} file (format 1.0, or 2.0 if the header needs it), atomically ({@link AtomicFiles}). */
    public static void write(Path file, NpyArray array) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(array, "array");
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes one array in {@code .npy} format to a stream; does not close it. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array));
        out.write(array.rawBytes());
    }

    /** The full preamble and header, padded with spaces so the data starts on a 64-byte boundary. */
    static byte[] header(NpyArray array) {
        StringBuilder shape = new StringBuilder("(");
        int[] s = array.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(s[i]).append(s.length == 1 ? "," : (i + 1 < s.length ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int major = dict.length() + 1 + 10 > 65535 ? 2 : 1;
        int preamble = major == 1 ? 10 : 12;
        int total = preamble + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteArrayOutputStream bos = new ByteArrayOutputStream(padded);
        bos.writeBytes(MAGIC);
        bos.write(major);
        bos.write(0);
        int len = header.length();
        bos.write(len & 0xFF);
        bos.write((len >>> 8) & 0xFF);
        if (major == 2) {
            bos.write((len >>> 16) & 0xFF);
            bos.write((len >>> 24) & 0xFF);
        }
        bos.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        return bos.toByteArray();
    }

    /**
     * Reads every array of an {@code .npz} archive, keyed by entry name without {@code .npy}, in archive order.
     */
    public static Map<String, NpyArray> readNpz(Path file) {
        Objects.requireNonNull(file, "file");
        Streams.requireReadableFile(file);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                Path source = Path.of(file + "/" + name);
                if (!name.endsWith(".npy")) {
                    throw new InvalidInputException(source, "an .npz archive should hold only .npy entries");
                }
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
                    arrays.put(name.substring(0, name.length() - 4), read(in, e.getSize(), source));
                } catch (ZipException ze) {
                    throw new InvalidInputException(source, "corrupt compressed data: " + ze.getMessage(), ze);
                }
            }
        } catch (ZipException e) {
            throw new InvalidInputException(file, "not a readable .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        if (arrays.isEmpty()) {
            throw new InvalidInputException(file, "the .npz archive holds no arrays");
        }
        return arrays;
    }

    /**
     * Writes arrays as an {@code .npz} archive, atomically ({@link AtomicFiles}) ({@code np.savez} when {@code compressed} is false,
     * {@code np.savez_compressed} when true). Zip64 records are written when an entry needs them.
     */
    public static void writeNpz(Path file, Map<String, NpyArray> arrays, boolean compressed) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(arrays, "arrays");
        AtomicFiles.write(file, out -> writeNpz(out, arrays, compressed));
    }

    private static void writeNpz(OutputStream raw, Map<String, NpyArray> arrays, boolean compressed) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(new java.io.FilterOutputStream(raw) {
            @Override
            public void close() throws IOException {
                flush(); // the atomic writer closes the file itself
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        })) {
            for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
                byte[] header = header(a.getValue());
                byte[] data = a.getValue().rawBytes();
                ZipEntry entry = new ZipEntry(a.getKey() + ".npy");
                if (!compressed) {
                    CRC32 crc = new CRC32();
                    crc.update(header);
                    crc.update(data);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize((long) header.length + data.length);
                    entry.setCompressedSize((long) header.length + data.length);
                    entry.setCrc(crc.getValue());
                } else {
                    entry.setMethod(ZipEntry.DEFLATED);
                }
                zip.putNextEntry(entry);
                zip.write(header);
                zip.write(data);
                zip.closeEntry();
            }
        }
    }
}
