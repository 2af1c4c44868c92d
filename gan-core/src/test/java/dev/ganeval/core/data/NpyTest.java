package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads files numpy wrote (testdata/make_npy_fixtures.py) and round-trips our own. */
class NpyTest {
    static final Path NPY = Fixtures.testdata().resolve("npy");

    @TempDir
    Path tmp;

    static double[] arange(int n, double scale, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * scale + shift;
        }
        return x;
    }

    @Test
    void readsEveryDtypeNumpyWrote() {
        NpyArray f4 = Npy.read(NPY.resolve("f4_2x3.npy"));
        assertEquals(NpyArray.DType.FLOAT32, f4.dtype());
        assertArrayEquals(new int[] {2, 3}, f4.shape());
        assertArrayEquals(arange(6, 0.25, 0), f4.toDoubles(), 0.0);
        FloatMatrix m = f4.toMatrix();
        assertEquals(0.75f, m.get(1, 0));

        assertArrayEquals(arange(4, 1, -1.5), Npy.read(NPY.resolve("f8_4.npy")).toDoubles(), 0.0);
        NpyArray u1 = Npy.read(NPY.resolve("u1_2x2x3.npy"));
        assertArrayEquals(new int[] {2, 2, 3}, u1.shape());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, u1.toInts());
        assertEquals(2, u1.toMatrix().rows());
        assertEquals(6, u1.toMatrix().cols());
        assertArrayEquals(new int[] {-3, -2, -1, 0, 1, 2}, Npy.read(NPY.resolve("i4_3x2.npy")).toInts());
        assertArrayEquals(new int[] {0, 1000, 2000, 3000, 4000}, Npy.read(NPY.resolve("i8_5.npy")).toInts());
        NpyArray scalar = Npy.read(NPY.resolve("f4_scalar.npy"));
        assertEquals(0, scalar.ndim());
        assertArrayEquals(new float[] {2.5f}, scalar.toFloats());
        NpyArray empty = Npy.read(NPY.resolve("f4_0x3.npy"));
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.toMatrix().rows());
    }

    @Test
    void readsFormatVersionsTwoAndThree() {
        NpyArray v1 = Npy.read(NPY.resolve("f4_2x3.npy"));
        assertEquals(v1, Npy.read(NPY.resolve("f4_2x3_v2.npy")));
        assertEquals(v1, Npy.read(NPY.resolve("f4_2x3_v3.npy")));
    }

    @Test
    void readsFortranOrderAndBigEndianIntoLittleEndianCOrder() {
        NpyArray fortran = Npy.read(NPY.resolve("fortran_2x3.npy"));
        assertArrayEquals(new int[] {2, 3}, fortran.shape());
        assertArrayEquals(arange(6, 1, 0), fortran.toDoubles(), 0.0);
        NpyArray big = Npy.read(NPY.resolve("bigendian_2x3.npy"));
        assertEquals(NpyArray.DType.FLOAT32, big.dtype());
        assertArrayEquals(arange(6, 1, 0), big.toDoubles(), 0.0);
        // a.T of a C-ordered 2 x 3 matrix: numpy saves it as Fortran order, and it reads back as the transpose.
        NpyArray t = Npy.read(NPY.resolve("fortran_transposed_3x2.npy"));
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, t.toDoubles(), 0.0);
        // Both at once, in three dimensions: element (i, j, k) of arange(24).reshape(2, 3, 4) - 7 is 12i + 4j + k - 7.
        NpyArray fb = Npy.read(NPY.resolve("fortran_bigendian_2x3x4.npy"));
        assertEquals(NpyArray.DType.INT64, fb.dtype());
        assertArrayEquals(new int[] {2, 3, 4}, fb.shape());
        assertArrayEquals(arange(24, 1, -7), fb.toDoubles(), 0.0);
        assertArrayEquals(new int[] {0, -3, -6, -9, -12}, Npy.read(NPY.resolve("bigendian_i4_5.npy")).toInts());
        // Held as every array is held: little-endian C order, the bytes the writer would write.
        assertEquals(NpyArray.ofFloats(new float[] {0, 1, 2, 3, 4, 5}, 2, 3), fortran);
        assertEquals(fortran, big);
    }

    @Test
    void readsFloat16AsNumpyWidensIt() {
        Map<String, NpyArray> all = Npy.readNpz(NPY.resolve("f2_all.npz"));
        NpyArray half = all.get("half");
        assertEquals(NpyArray.DType.FLOAT16, half.dtype());
        float[] mine = half.toFloats();
        float[] numpys = all.get("single").toFloats();
        assertEquals(65536, mine.length);
        for (int i = 0; i < mine.length; i++) {
            // Bits, not values: -0.0, the subnormals and every NaN payload must come through as numpy's.
            assertEquals(Float.floatToRawIntBits(numpys[i]), Float.floatToRawIntBits(mine[i]), "bit pattern " + i);
        }
        double[] wide = half.toDoubles();
        for (int i = 0; i < mine.length; i++) {
            assertEquals(Double.doubleToRawLongBits(numpys[i]), Double.doubleToRawLongBits(wide[i]), "bit pattern " + i);
        }
        NpyArray bigFortran = Npy.read(NPY.resolve("f2_bigendian_2x3.npy"));
        assertArrayEquals(arange(6, 0.125, 0), bigFortran.toDoubles(), 0.0);
        assertThrows(IllegalStateException.class, bigFortran::toInts);
        Path copy = tmp.resolve("half.npy");
        assertDoesNotThrow(() -> Npy.write(copy, bigFortran));
        assertEquals(bigFortran, Npy.read(copy));
    }

    @Test
    void rejectsUnknownDtypesWithTheFix() {
        InvalidInputException c = assertThrows(InvalidInputException.class, () -> Npy.read(NPY.resolve("complex_2.npy")));
        assertTrue(c.getMessage().contains("unsupported dtype <c8") && c.getMessage().contains("astype(np.float32)"),
                c.getMessage());
        assertEquals(NPY.resolve("complex_2.npy"), c.file().orElseThrow());
    }

    @Property(tries = 40)
    void fortranOrderIsTheReversedTranspose(@ForAll @IntRange(min = 1, max = 4) int ndim, @ForAll Random random) {
        // A C-ordered array of shape s holds the same bytes as a Fortran-ordered array of the reversed shape
        // transposed, so reading "Fortran order, reversed shape" must give the full transpose (axes reversed).
        int[] shape = new int[ndim];
        int n = 1;
        for (int k = 0; k < ndim; k++) {
            shape[k] = 1 + random.nextInt(5);
            n *= shape[k];
        }
        byte[] bytes = new byte[n * 2];
        random.nextBytes(bytes);
        int[] reversed = new int[ndim];
        for (int k = 0; k < ndim; k++) {
            reversed[k] = shape[ndim - 1 - k];
        }
        byte[] c = Npy.toCOrder(bytes, reversed, 2);
        int[] index = new int[ndim];
        for (int e = 0; e < n; e++) {
            // e is the C offset of index in shape; its transpose is at the C offset of reversed(index) in reversed.
            int t = 0;
            for (int k = ndim - 1; k >= 0; k--) {
                t = t * shape[k] + index[k];
            }
            assertEquals(bytes[2 * e], c[2 * t]);
            assertEquals(bytes[2 * e + 1], c[2 * t + 1]);
            for (int k = ndim - 1; k >= 0 && ++index[k] == shape[k]; k--) {
                index[k] = 0;
            }
        }
    }

    @Test
    void readsStoredDeflatedAndZip64Archives() {
        for (String name : new String[] {"stats_stored.npz", "stats_deflated.npz"}) {
            Map<String, NpyArray> z = Npy.readNpz(NPY.resolve(name));
            assertEquals(java.util.List.of("mu", "sigma"), java.util.List.copyOf(z.keySet()));
            assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, z.get("mu").toDoubles(), 1e-15);
            double[] sigma = z.get("sigma").toDoubles();
            assertEquals(25, sigma.length);
            assertEquals(2.25, sigma[0], 0.0);
            assertEquals(0.25, sigma[1], 0.0);
        }
        NpyArray x = Npy.readNpz(NPY.resolve("zip64_forced.npz")).get("x");
        assertArrayEquals(new int[] {3, 4}, x.shape());
        assertArrayEquals(arange(12, 1, 0), x.toDoubles(), 0.0);
    }

    @Test
    void writesWhatNumpyWritesByteForByte() throws IOException {
        // numpy's own bytes for the same array: our writer must produce the identical file.
        NpyArray ours = NpyArray.ofFloats(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, 2, 3);
        Path p = tmp.resolve("ours.npy");
        Npy.write(p, ours);
        assertArrayEquals(Files.readAllBytes(NPY.resolve("f4_2x3.npy")), Files.readAllBytes(p));
        Npy.write(p, NpyArray.ofLongs(new long[] {0, 1000, 2000, 3000, 4000}, 5));
        assertArrayEquals(Files.readAllBytes(NPY.resolve("i8_5.npy")), Files.readAllBytes(p));
    }

    @Test
    void npzRoundTripStoredAndCompressed() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("mu", NpyArray.ofDoubles(arange(7, 0.5, 1), 7));
        arrays.put("sigma", NpyArray.ofDoubles(arange(49, -0.1, 3), 7, 7));
        arrays.put("labels", NpyArray.ofUnsignedBytes(new byte[] {1, 2, (byte) 250}, 3));
        for (boolean compressed : new boolean[] {false, true}) {
            Path p = tmp.resolve("s" + compressed + ".npz");
            Npy.writeNpz(p, arrays, compressed);
            assertEquals(arrays, Npy.readNpz(p));
        }
        assertArrayEquals(new int[] {1, 2, 250}, arrays.get("labels").toInts());
    }

    @Property(tries = 50)
    void npyRoundTripPreservesShapeAndValues(@ForAll @IntRange(min = 0, max = 4) int ndim,
                                             @ForAll @IntRange(min = 0, max = 1000) int seed) throws IOException {
        Random rnd = new Random(seed);
        int[] shape = new int[ndim];
        int n = 1;
        for (int i = 0; i < ndim; i++) {
            shape[i] = rnd.nextInt(5);
            n *= shape[i];
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        NpyArray a = NpyArray.ofFloats(v, shape);
        Path p = Files.createTempFile("rt", ".npy");
        try {
            Npy.write(p, a);
            assertEquals(0, Npy.header(a).length % 64, "data must start on a 64-byte boundary");
            assertEquals(a, Npy.read(p));
        } finally {
            Files.delete(p);
        }
    }

    @Test
    void truncatedLyingAndForeignFilesAreClearErrors() throws IOException {
        byte[] good = Files.readAllBytes(NPY.resolve("f4_2x3.npy"));
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, Arrays.copyOf(good, good.length - 4));
        assertTrue(assertThrows(InvalidInputException.class, () -> Npy.read(cut)).getMessage().contains("truncated"));
        Path extra = tmp.resolve("extra.npy");
        Files.write(extra, Arrays.copyOf(good, good.length + 4));
        assertTrue(assertThrows(InvalidInputException.class, () -> Npy.read(extra)).getMessage().contains("trailing"));
        // Same bytes with the shape rewritten to a huge claim.
        String header = new String(good, 10, good.length - 10 - 24, java.nio.charset.StandardCharsets.ISO_8859_1);
        String lying = header.replace("(2, 3)", "(900000, 900000)");
        byte[] bad = good.clone();
        System.arraycopy(lying.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, bad, 10, lying.length());
        Path liar = tmp.resolve("liar.npy");
        Files.write(liar, bad);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(liar));
        assertTrue(e.getMessage().contains("900000"), e.getMessage());
        // A header of binary junk is shown as a short printable preview, not echoed raw.
        byte[] junk = good.clone();
        for (int i = 10; i < good.length - 24; i++) {
            junk[i] = (byte) (i * 37);
        }
        Path garbled = tmp.resolve("garbled.npy");
        Files.write(garbled, junk);
        String m = assertThrows(InvalidInputException.class, () -> Npy.read(garbled)).getMessage();
        assertTrue(m.contains("malformed .npy header") && m.chars().allMatch(c -> c >= 0x20 && c != 0x7f)
                && m.length() < garbled.toString().length() + 120, m);
        Path png = tmp.resolve("x.npy");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5, 6, 7});
        assertTrue(assertThrows(InvalidInputException.class, () -> Npy.read(png)).getMessage().contains("not a .npy"));
        Path notZip = tmp.resolve("x.npz");
        Files.write(notZip, good);
        assertTrue(assertThrows(InvalidInputException.class, () -> Npy.readNpz(notZip)).getMessage().contains("npz"));
        assertTrue(assertThrows(InvalidInputException.class, () -> Npy.readNpz(tmp.resolve("absent.npz")))
                .getMessage().contains("no such file"));
    }

    @Test
    void integerAccessOnFloatsIsAnError() {
        assertThrows(IllegalStateException.class, () -> NpyArray.ofFloats(new float[] {1}, 1).toInts());
        assertThrows(IllegalStateException.class, () -> NpyArray.ofLongs(new long[] {1L << 40}, 1).toInts());
        assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloats(new float[3], 2, 2));
    }
}
