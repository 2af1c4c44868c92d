package dev.ganeval.core.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Hugging Face's safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor's name to
 * its {@code dtype}, {@code shape} and {@code data_offsets} (begin and end in the data that follows), an optional
 * {@code __metadata__} of strings, then the raw little-endian data, row-major. Nothing in the file is executed; the
 * header is parsed by a small JSON reader that takes only what the format has (objects, arrays, strings, integers),
 * and every offset and size is checked against the file before a byte is read. Tensors are read one at a time from a
 * mapped region, so files over 2 GB (CLIP's two towers) are fine, and a key filter reads only the tensors wanted.
 */
public final class SafeTensors {
    /** A header larger than this is refused (real ones are tens of kilobytes). */
    static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** Every tensor in the file. */
    public static Map<String, Tensor> read(Path file) {
        return read(file, k -> true);
    }

    /**
     * The tensors whose names {@code keys} accepts, in the header's order.
     *
     * @throws CheckpointException naming the file and what is wrong: a header that is not the format's, an unsupported
     *                             dtype, offsets outside the data or not the size the shape needs
     */
    public static Map<String, Tensor> read(Path file, Predicate<String> keys) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keys, "keys");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file, "is " + size + " bytes, shorter than a safetensors header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLength = len.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new CheckpointException(file, "is not a safetensors file: its header length is " + headerLength
                        + " for a file of " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8);
            Object parsed;
            try {
                parsed = new JsonReader(new String(header.array(), StandardCharsets.UTF_8)).document();
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(file, "has a safetensors header that is not JSON: " + e.getMessage(), e);
            }
            if (!(parsed instanceof Map<?, ?> entries)) {
                throw new CheckpointException(file, "has a safetensors header that is not a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : entries.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__") || !keys.test(name)) {
                    continue;
                }
                out.put(name, tensor(file, ch, name, e.getValue(), dataStart, dataSize));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Tensor tensor(Path file, FileChannel ch, String name, Object entry, long dataStart, long dataSize)
            throws IOException {
        if (!(entry instanceof Map<?, ?> m) || !(m.get("dtype") instanceof String dt) || !(m.get("shape") instanceof List<?> sh)
                || !(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
            throw new CheckpointException(file, "tensor '" + name + "' lacks a dtype, a shape or two data_offsets");
        }
        Tensor.DType dtype = switch (dt) {
            case "F32" -> Tensor.DType.FLOAT32;
            case "F64" -> Tensor.DType.FLOAT64;
            case "F16" -> Tensor.DType.FLOAT16;
            case "BF16" -> Tensor.DType.BFLOAT16;
            case "I64" -> Tensor.DType.INT64;
            default -> throw new CheckpointException(file, "tensor '" + name + "' is " + dt
                    + "; F32, F64, F16, BF16 and I64 are read");
        };
        if (sh.size() > TensorRef.MAX_DIMS) {
            throw new CheckpointException(file, "tensor '" + name + "' has " + sh.size() + " dimensions");
        }
        int[] shape = new int[sh.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = (Long) integer(file, name, sh.get(i));
            if (d < 0 || d > TensorRef.MAX_ELEMENTS) {
                throw new CheckpointException(file, "tensor '" + name + "' has a dimension of " + d);
            }
            shape[i] = (int) d;
            count *= d;
            if (count > TensorRef.MAX_ELEMENTS) {
                throw new CheckpointException(file, "tensor '" + name + "' has more elements than a Java array holds");
            }
        }
        long begin = (Long) integer(file, name, offs.get(0));
        long end = (Long) integer(file, name, offs.get(1));
        long bytes = count * dtype.bytes();
        if (begin < 0 || end < begin || end > dataSize || end - begin != bytes) {
            throw new CheckpointException(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] but its "
                    + "shape needs " + bytes + " bytes inside the " + dataSize + " bytes of data");
        }
        ByteBuffer region = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] stride = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= shape[i];
        }
        StorageRef storage = new StorageRef(name, "safetensors " + name, dtype, 0, bytes);
        return new TensorRef(storage, dtype, 0, shape, stride, (int) count).build(region);
    }

    private static Object integer(Path file, String name, Object v) {
        if (!(v instanceof Long)) {
            throw new CheckpointException(file, "tensor '" + name + "' has " + v + " where an integer belongs");
        }
        return v;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    /** JSON as the format uses it: objects (ordered), arrays, strings, integers, and the other scalars as values. */
    private static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value(0);
            space();
            // The header may be padded with spaces to align the data.
            if (i != s.length()) {
                throw new IllegalArgumentException("text after the header's object at character " + i);
            }
            return v;
        }

        private Object value(int depth) {
            if (depth > 32) {
                throw new IllegalArgumentException("nested deeper than 32 levels");
            }
            space();
            if (i >= s.length()) {
                throw new IllegalArgumentException("ends early");
            }
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (peek('}')) {
                    return m;
                }
                do {
                    space();
                    String k = string();
                    space();
                    expect(':');
                    if (m.put(k, value(depth + 1)) != null) {
                        throw new IllegalArgumentException("the key '" + k + "' twice");
                    }
                    space();
                } while (peek(','));
                expect('}');
                return m;
            }
            if (c == '[') {
                i++;
                List<Object> a = new ArrayList<>();
                space();
                if (peek(']')) {
                    return a;
                }
                do {
                    a.add(value(depth + 1));
                    space();
                } while (peek(','));
                expect(']');
                return a;
            }
            if (c == '"') {
                return string();
            }
            int start = i;
            while (i < s.length() && "+-.0123456789eEaeflnrstu".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String token = s.substring(start, i);
            if (token.matches("-?\\d{1,18}")) {
                return Long.parseLong(token);
            }
            if (token.equals("true") || token.equals("false") || token.equals("null") || token.matches("-?[\\d.eE+-]+")) {
                return token;  // not used by the format's tensor entries
            }
            throw new IllegalArgumentException("unexpected '" + (token.isEmpty() ? String.valueOf(c) : token) + "' at character " + start);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case '"', '\\', '/' -> b.append(e);
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'n' -> b.append('\n');
                        case 'r' -> b.append('\r');
                        case 't' -> b.append('\t');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw new IllegalArgumentException("a \\u escape ends early");
                            }
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> throw new IllegalArgumentException("bad escape \\" + e + " at character " + (i - 1));
                    }
                } else {
                    b.append(c);
                }
            }
            throw new IllegalArgumentException("a string is not closed");
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at character " + i);
            }
        }
    }
}
