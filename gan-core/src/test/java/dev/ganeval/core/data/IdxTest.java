package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    @TempDir
    Path tmp;

    /** IDX bytes written by hand from the format description: magic, big-endian dims, payload. */
    static byte[] idx(int typeCode, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt((typeCode << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        return bos.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    Path writeGzip(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(bytes);
        }
        return p;
    }

    static byte[] ramp(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37);
        }
        return b;
    }

    @Test
    void readsUnsignedByteImagesPlainAndGzipped() throws IOException {
        byte[] payload = ramp(3 * 2 * 4);
        byte[] file = idx(0x08, new int[] {3, 2, 4}, payload);
        for (Path p : new Path[] {write("img", file), writeGzip("img.gz", file)}) {
            FloatMatrix m = Idx.readImages(p);
            assertEquals(3, m.rows());
            assertEquals(8, m.cols());
            for (int i = 0; i < payload.length; i++) {
                assertEquals((payload[i] & 0xFF) / 255f, m.data()[i], 0f);
            }
        }
    }

    @Test
    void readsLabelsAndOtherTypes() throws IOException {
        assertArrayEquals(new int[] {0, 37, 74, 111}, Idx.readLabels(write("lab", idx(0x08, new int[] {4}, ramp(4)))));
        byte[] shorts = {(byte) 0xFF, (byte) 0xFE, 0x01, 0x00}; // -2, 256 big-endian
        Idx.IdxArray s = Idx.read(write("s", idx(0x0B, new int[] {2}, shorts)));
        assertEquals(Idx.DataType.SHORT, s.type());
        assertArrayEquals(new float[] {-2, 256}, s.values());
        byte[] floats = java.nio.ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-3f).array();
        assertArrayEquals(new float[] {1.5f, -3f}, Idx.read(write("f", idx(0x0D, new int[] {1, 2}, floats))).values());
        byte[] doubles = java.nio.ByteBuffer.allocate(8).putDouble(0.25).array();
        assertArrayEquals(new float[] {0.25f}, Idx.read(write("d", idx(0x0E, new int[] {1}, doubles))).values());
        byte[] ints = java.nio.ByteBuffer.allocate(4).putInt(-70000).array();
        assertArrayEquals(new float[] {-70000f}, Idx.read(write("i", idx(0x0C, new int[] {1}, ints))).values());
    }

    @Test
    void wrongMagicIsRejectedWithTheFileName() throws IOException {
        Path p = write("notidx.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Idx.read(p));
        assertEquals(p, e.file().orElseThrow());
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
        Path badType = write("badtype", idx(0x07, new int[] {1}, new byte[1]));
        assertTrue(assertThrows(InvalidInputException.class, () -> Idx.read(badType)).getMessage().contains("type code 0x07"));
    }

    @Test
    void truncatedAndTrailingDataAreRejected() throws IOException {
        byte[] full = idx(0x08, new int[] {10, 4}, ramp(40));
        Path cut = write("cut", Arrays.copyOf(full, full.length - 3));
        assertTrue(assertThrows(InvalidInputException.class, () -> Idx.read(cut)).getMessage().contains("truncated"));
        Path cutGz = writeGzip("cut.gz", Arrays.copyOf(full, full.length - 3));
        assertTrue(assertThrows(InvalidInputException.class, () -> Idx.read(cutGz)).getMessage().contains("truncated"));
        Path header = write("header", Arrays.copyOf(full, 6));
        assertTrue(assertThrows(InvalidInputException.class, () -> Idx.read(header)).getMessage().contains("truncated"));
        Path extra = write("extra", Arrays.copyOf(full, full.length + 5));
        assertTrue(assertThrows(InvalidInputException.class, () -> Idx.read(extra)).getMessage().contains("trailing"));
    }

    @Test
    void lyingHeaderNeverAllocatesWhatItClaims() throws IOException {
        // Claims 60000 x 60000 x 784 bytes (far beyond any array) or 2^31-ish bytes in a tiny gzip file.
        byte[] huge = idx(0x08, new int[] {60000, 60000, 784}, ramp(16));
        Path p = write("huge", huge);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
        Path gz = writeGzip("huge.gz", idx(0x08, new int[] {2000, 1000, 1000}, ramp(16)));
        long before = usedMemory();
        InvalidInputException eg = assertThrows(InvalidInputException.class, () -> Idx.read(gz));
        assertTrue(eg.getMessage().contains("truncated"), eg.getMessage());
        assertTrue(usedMemory() - before < 512L << 20, "reading a lying gzip header must not allocate its claim");
        Path neg = write("neg", idx(0x08, new int[] {-1, 4}, ramp(4)));
        assertThrows(InvalidInputException.class, () -> Idx.read(neg));
    }

    private static long usedMemory() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void missingFileAndFolderAreClearErrors() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Idx.read(tmp.resolve("absent")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> Idx.read(tmp)).getMessage().contains("folder"));
    }

    @Test
    void imagesAndLabelsOfTheWrongKindAreRejected() throws IOException {
        Path labels = write("lab", idx(0x08, new int[] {4}, ramp(4)));
        assertThrows(InvalidInputException.class, () -> Idx.readImages(labels));
        Path images = write("img", idx(0x08, new int[] {1, 2, 2}, ramp(4)));
        assertThrows(InvalidInputException.class, () -> Idx.readLabels(images));
    }

    @Test
    void realMnistHasTheKnownShapeAndLabelCounts() {
        // Needs testdata/fetch-mnist.sh, which the build runs before the tests.
        Datasets.IdxPair test = Datasets.mnist(Datasets.Split.TEST);
        FloatMatrix x = Idx.readImages(test.images());
        int[] y = Idx.readLabels(test.labels());
        assertEquals(10000, x.rows());
        assertEquals(784, x.cols());
        assertEquals(10000, y.length);
        int[] counts = new int[10];
        for (int label : y) {
            counts[label]++;
        }
        // The published class counts of the MNIST test set.
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void fashionMnistIsReadFromDebiansPackageOrNamedAsMissing() {
        // .ci/run installs dataset-fashion-mnist, so CI reads the real gzipped files; on a machine without the
        // package the lookup must fail with the install command instead.
        if (Files.isRegularFile(Datasets.DEBIAN_FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz"))) {
            Datasets.IdxPair test = Datasets.fashionMnist(Datasets.Split.TEST);
            int[] labels = Idx.readLabels(test.labels());
            assertEquals(10000, labels.length);
            int[] counts = new int[10];
            for (int label : labels) {
                counts[label]++;
            }
            int[] balanced = new int[10];
            Arrays.fill(balanced, 1000);
            assertArrayEquals(balanced, counts, "Fashion-MNIST's test set has 1,000 items per class");
            FloatMatrix x = Idx.readImages(test.images());
            assertEquals(784, x.cols());
        } else {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> Datasets.fashionMnist(Datasets.Split.TEST));
            assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        }
    }
}
