package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.ImageFolder.Color;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {
    static final Path IMAGES = Fixtures.testdata().resolve("images");

    @TempDir
    Path tmp;

    /** One line of images/expected.txt: what PIL decodes a fixture to. */
    record Expected(String file, String mode, int width, int height, int[] values) {}

    static List<Expected> expected() throws IOException {
        List<Expected> list = new ArrayList<>();
        for (String line : Files.readAllLines(IMAGES.resolve("expected.txt"))) {
            String[] t = line.trim().split(" ");
            int[] v = new int[t.length - 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = Integer.parseInt(t[i + 4]);
            }
            list.add(new Expected(t[0], t[1], Integer.parseInt(t[2]), Integer.parseInt(t[3]), v));
        }
        return list;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expected")
    void decodesLikePil(Expected e) {
        ImageFolder.Image img = ImageFolder.decode(IMAGES.resolve(e.file()), e.mode().equals("RGB") ? Color.RGB : Color.GRAY);
        assertEquals(e.width(), img.width());
        assertEquals(e.height(), img.height());
        assertEquals(e.values().length, img.pixels().length);
        for (int i = 0; i < e.values().length; i++) {
            int got = Math.round(img.pixels()[i] * 255f);
            assertEquals(e.values()[i], got, e.file() + " " + e.mode() + " value " + i);
        }
    }

    static Stream<String> formatVariants() {
        return Npy.readNpz(IMAGES.resolve("formats_pil.npz")).keySet().stream().sorted();
    }

    /**
     * Every variant of every format a folder may hold (JPEG chroma subsamplings, progressive, arithmetic, CMYK; 16-bit
     * PNG and PPM; palette, bilevel and alpha images; compressed TIFF) decodes to PIL's pixels exactly, so pytorch-fid
     * and ganeval see the same images.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formatVariants")
    void everyFormatVariantDecodesExactlyAsPil(String key) throws IOException {
        NpyArray pil = Npy.readNpz(IMAGES.resolve("formats_pil.npz")).get(key);
        String file = key.substring(0, key.indexOf('/'));
        Color color = key.endsWith("/RGB") ? Color.RGB : Color.GRAY;
        ImageFolder.Image img = ImageFolder.decode(IMAGES.resolve("formats").resolve(file), color);
        assertArrayEquals(pil.shape(), new int[] {img.channels(), img.height(), img.width()}, key);
        byte[] want = pil.bytes();
        int mismatches = 0;
        String first = null;
        for (int i = 0; i < want.length; i++) {
            int got = Math.round(img.pixels()[i] * 255f);
            if (got != (want[i] & 0xFF)) {
                mismatches++;
                first = first == null ? "value " + i + ": got " + got + ", PIL " + (want[i] & 0xFF) : first;
            }
        }
        assertEquals(0, mismatches, key + ": " + mismatches + " of " + want.length + " values differ from PIL, first " + first);
        // The same file's bytes, as a distributed job reads them, decode to the same pixels.
        Path path = IMAGES.resolve("formats").resolve(file);
        assertArrayEquals(img.pixels(), ImageFolder.decode(Files.readAllBytes(path), path, color).pixels(), key);
    }

    @Test
    void encodedBytesAreCheckedAsFilesAre() throws IOException {
        Path lossy = IMAGES.resolve("lossy/rgb_q80.webp");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImageFolder.decode(Files.readAllBytes(lossy), Path.of("part-3/x.webp"), Color.RGB));
        assertEquals(Path.of("part-3/x.webp"), e.file().orElseThrow());
        assertTrue(e.reason().startsWith("is a lossy WebP image"), e.getMessage());
        InvalidInputException text = assertThrows(InvalidInputException.class,
                () -> ImageFolder.decode("not an image".getBytes(), Path.of("y.png"), Color.GRAY));
        assertTrue(text.reason().startsWith("not an image any installed decoder recognises"), text.getMessage());
    }

    static void png(Path p, int w, int h, int type, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xFF000000 | (((seed * 40 + x * 20 + y * 3) * 0x010203) & 0xFFFFFF));
            }
        }
        ImageIO.write(img, "png", p.toFile());
    }

    @Test
    void listsImagesSortedByNameAndIgnoresOtherFiles() throws IOException {
        for (String name : new String[] {"b.png", "a.png", "c.PNG", "notes.txt", "d.npy"}) {
            if (name.endsWith("png") || name.endsWith("PNG")) {
                png(tmp.resolve(name), 6, 4, BufferedImage.TYPE_INT_RGB, name.charAt(0));
            } else {
                Files.writeString(tmp.resolve(name), "x");
            }
        }
        Files.createDirectory(tmp.resolve("sub.png"));
        ImageFolder f = ImageFolder.open(tmp, Color.RGB);
        assertEquals(List.of("a.png", "b.png", "c.PNG"), f.files().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(3 * 6 * 4, f.rowLength());
        FloatMatrix all = f.readAll();
        assertEquals(3, all.rows());
        ImageFolder.Image b = ImageFolder.decode(tmp.resolve("b.png"), Color.RGB);
        assertEquals(b.pixels()[5], all.get(1, 5));
    }

    @Test
    void grayOnlyReadsGrayStoredAsRgbLikeGrayAndRefusesColourNamingFileAndPixel() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.setRGB(x, y, (x * 70 + y * 30) * 0x010101);
            }
        }
        Path gray = tmp.resolve("gray-as-rgb.png");
        ImageIO.write(img, "png", gray.toFile());
        assertArrayEquals(ImageFolder.decode(gray, Color.GRAY).pixels(), ImageFolder.decode(gray, Color.GRAY_ONLY).pixels());
        assertEquals(140 / 255f, ImageFolder.decode(gray, Color.GRAY_ONLY).pixels()[2]);

        img.setRGB(2, 1, 0x506070);
        Path colour = tmp.resolve("colour.png");
        ImageIO.write(img, "png", colour.toFile());
        assertEquals(6, ImageFolder.decode(colour, Color.GRAY).pixels().length, "plain GRAY still converts");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFolder.decode(colour, Color.GRAY_ONLY));
        assertTrue(e.getMessage().contains("colour.png") && e.getMessage().contains("x 2, y 1 is RGB 80,96,112"), e.getMessage());

        Files.delete(gray);
        png(tmp.resolve("a.png"), 3, 2, BufferedImage.TYPE_BYTE_GRAY, 1);
        ImageFolder folder = ImageFolder.open(tmp, Color.GRAY_ONLY);
        InvalidInputException inFolder = assertThrows(InvalidInputException.class, folder::readAll);
        assertTrue(inFolder.getMessage().contains("colour.png"), inFolder.getMessage());
    }

    @Test
    void batchesCoverEveryImageOnceInOrder() throws IOException {
        for (int i = 0; i < 23; i++) {
            png(tmp.resolve(String.format("img%03d.png", i)), 3, 2, BufferedImage.TYPE_BYTE_GRAY, i);
        }
        ImageFolder f = ImageFolder.open(tmp, Color.GRAY);
        FloatMatrix all = f.readAll();
        Iterator<FloatMatrix> it = f.batches(5);
        int row = 0;
        int batches = 0;
        while (it.hasNext()) {
            FloatMatrix batch = it.next();
            assertTrue(batch.rows() <= 5);
            for (int i = 0; i < batch.rows(); i++, row++) {
                for (int j = 0; j < f.rowLength(); j++) {
                    assertEquals(all.get(row, j), batch.get(i, j));
                }
            }
            batches++;
        }
        assertEquals(23, row);
        assertEquals(5, batches);
        assertFalse(it.hasNext());
        assertThrows(IllegalArgumentException.class, () -> f.batches(0));
    }

    @Test
    void grayIsReplicatedToRgbAndSixteenBitGrayIsScaled() throws IOException {
        BufferedImage g16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setSample(0, 0, 0, 65535);
        g16.getRaster().setSample(1, 0, 0, 32768);
        Path p = tmp.resolve("g16.png");
        ImageIO.write(g16, "png", p.toFile());
        ImageFolder.Image rgb = ImageFolder.decode(p, Color.RGB);
        assertEquals(3, rgb.channels());
        for (int c = 0; c < 3; c++) {
            assertEquals(1f, rgb.pixels()[c * 2]);
            assertEquals(32768f / 65535f, rgb.pixels()[c * 2 + 1], 1e-7);
        }
    }

    @Test
    void mixedSizesNameTheOddFile() throws IOException {
        png(tmp.resolve("a.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 1);
        png(tmp.resolve("b.png"), 5, 4, BufferedImage.TYPE_INT_RGB, 2);
        ImageFolder f = ImageFolder.open(tmp, Color.RGB);
        InvalidInputException e = assertThrows(InvalidInputException.class, f::readAll);
        assertEquals(tmp.resolve("b.png"), e.file().orElseThrow());
        assertTrue(e.getMessage().contains("5x4") && e.getMessage().contains("4x4"), e.getMessage());
    }

    @Test
    void corruptImagesNameTheFile() throws IOException {
        png(tmp.resolve("a.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 1);
        byte[] good = Files.readAllBytes(tmp.resolve("a.png"));
        Files.write(tmp.resolve("b.png"), java.util.Arrays.copyOf(good, 30));
        Files.writeString(tmp.resolve("c.jpg"), "this is not a jpeg");
        ImageFolder f = ImageFolder.open(tmp, Color.RGB);
        InvalidInputException truncated = assertThrows(InvalidInputException.class, () -> f.read(1, 2));
        assertEquals(tmp.resolve("b.png"), truncated.file().orElseThrow());
        InvalidInputException text = assertThrows(InvalidInputException.class, () -> f.read(2, 3));
        assertEquals(tmp.resolve("c.jpg"), text.file().orElseThrow());
        assertFalse(text.getMessage().contains("macOS"), text.getMessage());
        // A macOS AppleDouble file sorts first and gets the command that removes them all.
        Files.writeString(tmp.resolve("._a.png"), "\0\5\26\7 Mac OS X attributes");
        InvalidInputException apple = assertThrows(InvalidInputException.class, () -> ImageFolder.open(tmp, Color.RGB));
        assertEquals(tmp.resolve("._a.png"), apple.file().orElseThrow());
        assertTrue(apple.getMessage().endsWith("it looks like a macOS metadata file: delete them with find DIR -name '._*' -delete"),
                apple.getMessage());
    }

    /**
     * Files are decoded on several threads, each a run of consecutive files: the rows are the files' in order, and of
     * several bad files (one in each run) the first in file order is the error, as on one thread.
     */
    @Test
    void decodingOnSeveralThreadsKeepsTheOrderAndReportsTheFirstBadFile() throws IOException {
        for (int i = 0; i < 12; i++) {
            png(tmp.resolve(String.format("img%02d.png", i)), 5, 3, BufferedImage.TYPE_INT_RGB, i);
        }
        try {
            ComputeThreads.set(1);
            FloatMatrix one = ImageFolder.open(tmp, Color.RGB).readAll();
            for (int threads : new int[] {2, 3, 5, 16}) {
                ComputeThreads.set(threads);
                ImageFolder f = ImageFolder.open(tmp, Color.RGB);
                assertArrayEquals(one.data(), f.readAll().data(), threads + " threads");
                assertEquals(0, f.read(3, 3).rows(), "an empty range");
                assertArrayEquals(ImageFolder.decode(tmp.resolve("img07.png"), Color.RGB).pixels(),
                        f.read(7, 8).data(), threads + " threads");
            }
            Files.writeString(tmp.resolve("img10.png"), "not a png");                     // in the last run of 2, 3 or 5
            png(tmp.resolve("img06.png"), 4, 3, BufferedImage.TYPE_INT_RGB, 6);           // in a middle run
            Files.write(tmp.resolve("img04.png"), java.util.Arrays.copyOf(Files.readAllBytes(tmp.resolve("img00.png")), 40));
            for (int threads : new int[] {1, 2, 3, 5, 16}) {
                ComputeThreads.set(threads);
                ImageFolder f = ImageFolder.open(tmp, Color.RGB);
                InvalidInputException e = assertThrows(InvalidInputException.class, f::readAll);
                assertEquals(tmp.resolve("img04.png"), e.file().orElseThrow(), threads + " threads: " + e.getMessage());
                InvalidInputException later = assertThrows(InvalidInputException.class, () -> f.read(5, 12));
                assertEquals(tmp.resolve("img06.png"), later.file().orElseThrow(), threads + " threads: " + later.getMessage());
            }
        } finally {
            ComputeThreads.reset();
        }
    }

    @Test
    void emptyMissingAndNonFolderPathsAreClearErrors() throws IOException {
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> ImageFolder.open(tmp, Color.RGB));
        assertTrue(empty.getMessage().contains("no images") && !empty.getMessage().contains("subfolder"), empty.getMessage());
        for (String sub : new String[] {"cat", "dog", "eel", "fox"}) {
            png(Files.createDirectories(tmp.resolve(sub)).resolve("1.png"), 4, 4, BufferedImage.TYPE_INT_RGB, 1);
        }
        InvalidInputException nested = assertThrows(InvalidInputException.class, () -> ImageFolder.open(tmp, Color.RGB));
        assertTrue(nested.getMessage().endsWith("; images are read from the folder itself, not its 4 subfolders (cat, dog, eel, ...): "
                + "give one of them, or gather the images into one folder"), nested.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> ImageFolder.open(tmp.resolve("nope"), Color.RGB));
        assertTrue(missing.getMessage().contains("no such folder"), missing.getMessage());
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        assertTrue(assertThrows(InvalidInputException.class, () -> ImageFolder.open(file, Color.RGB))
                .getMessage().contains("not a folder"));
    }

    @Test
    void sixteenBitGrayImagesKeepTheirRangeAndSaySoOnceAFolder(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_USHORT_GRAY);
            img.getRaster().setSample(1, 0, 0, 65535);
            img.getRaster().setSample(2, 0, 0, 1000 * (i + 1));
            ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
        }
        List<String> warned = new ArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.ganeval.core.data");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                warned.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            FloatMatrix x = ImageFolder.open(dir, Color.GRAY).readAll();
            assertEquals(1f, x.get(0, 1), 0f);
            assertEquals(1000 / 65535f, x.get(0, 2), 1e-7f);
            assertEquals(1, warned.size(), warned.toString());
            assertTrue(warned.get(0).contains("0.png") && warned.get(0).contains("16-bit") && warned.get(0).contains("pytorch-fid"),
                    warned.get(0));
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void lossyWebpIsRefusedRatherThanDecodedUnlikePil() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("testdata/images/lossy"))) {
            dir = dir.getParent();
        }
        Path lossy = dir.resolve("testdata/images/lossy/rgb_q80.webp");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFolder.decode(lossy, Color.RGB));
        assertTrue(e.getMessage().contains("rgb_q80.webp") && e.getMessage().contains("lossy WebP")
                && e.getMessage().contains("PNG"), e.getMessage());
        // The lossless one is still read (and checked against PIL with the other formats).
        assertEquals(5, ImageFolder.decode(dir.resolve("testdata/images/rgba_lossless.webp"), Color.RGB).width());
    }
}
