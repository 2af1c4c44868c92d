package dev.ganeval.cli;

import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every row of docs/bad-input.md: the inputs named in capitals are made here, each command is run as the CLI runs
 * it, and its exit status and message must be what the row says, so the table users read cannot drift from the program.
 */
class BadInputTableTest {
    /** A row: what the input is, the command after {@code ganeval}, the exit status, and text the output must hold. */
    record Row(String input, String command, int exit, String says) {
        @Override
        public String toString() {
            return input;
        }
    }

    private static final Pattern ROW = Pattern.compile("^\\| ([^|]+) \\| `ganeval ([^`]+)` \\| (\\d+) \\| `(.+)` \\|$");
    private static final Pattern ELSEWHERE = Pattern.compile("^\\| [^|]+ \\| [^|]+ \\| `(\\w+)(?:\\.(\\w+))?` \\|$");

    @TempDir
    static Path dir;
    static Path root;
    static final Map<String, Path> inputs = new LinkedHashMap<>();

    @BeforeAll
    static void makeInputs() throws IOException {
        root = CheckNetworkCommandTest.fixtures().getParent().getParent();
        Random rng = new Random(20261203);
        folder("GRAY", 30, 28, BufferedImage.TYPE_BYTE_GRAY, rng);
        folder("GRAY2", 30, 28, BufferedImage.TYPE_BYTE_GRAY, rng);
        folder("RGB", 30, 32, BufferedImage.TYPE_INT_RGB, rng);
        folder("SIXTEEN", 20, 28, BufferedImage.TYPE_USHORT_GRAY, rng);
        Files.createDirectories(path("EMPTY"));
        Files.writeString(Files.createDirectories(path("NOTIMAGES")).resolve("readme.txt"), "notes");
        folder("CORRUPT", 3, 28, BufferedImage.TYPE_BYTE_GRAY, rng);
        Files.writeString(path("CORRUPT").resolve("004.png"), "this is not a png");
        folder("MIXED", 2, 28, BufferedImage.TYPE_BYTE_GRAY, rng);
        Files.delete(path("MIXED").resolve("000.png"));
        image(path("MIXED").resolve("zzz.png"), 32, BufferedImage.TYPE_BYTE_GRAY, rng);
        folder("TRUNCATED", 2, 28, BufferedImage.TYPE_BYTE_GRAY, rng);
        byte[] png = Files.readAllBytes(path("TRUNCATED").resolve("001.png"));
        Files.write(path("TRUNCATED").resolve("001.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.createDirectories(path("LOSSY"));
        Files.copy(root.resolve("testdata/images/lossy/rgb_q80.webp"), path("LOSSY").resolve("rgb_q80.webp"));
        folder("NONEMPTY", 1, 28, BufferedImage.TYPE_BYTE_GRAY, rng);
        inputs.put("MISSING", dir.resolve("MISSING"));
        inputs.put("NOWHERE", dir.resolve("NOWHERE"));

        float[] feat = gaussian(50 * 8, rng);
        npy("FEAT.npy", NpyArray.ofFloats(feat, 50, 8));
        npy("FEAT16.npy", NpyArray.ofFloats(gaussian(50 * 16, rng), 50, 16));
        npy("ONE.npy", NpyArray.ofFloats(gaussian(8, rng), 1, 8));
        float[] nan = feat.clone();
        nan[12 * 8 + 1] = Float.NaN;
        npy("NAN.npy", NpyArray.ofFloats(nan, 50, 8));
        float[] inf = feat.clone();
        inf[3 * 8 + 2] = Float.POSITIVE_INFINITY;
        npy("INF.npy", NpyArray.ofFloats(inf, 50, 8));
        byte[] whole = Files.readAllBytes(path("FEAT.npy"));
        Files.write(path("TRUNCATED.npy"), java.util.Arrays.copyOf(whole, whole.length - 37));
        Files.write(path("EMPTYFILE.npy"), new byte[0]);
        Files.write(path("GARBLED.npy"), rawNpy("{zzzz".repeat(16), new byte[0]));
        Files.write(path("INT16.npy"), rawNpy("{'descr': '<i2', 'fortran_order': False, 'shape': (50, 8), }", new byte[50 * 8 * 2]));
        Npy.writeNpz(path("NOSIGMA.npz"), Map.of("mu", NpyArray.ofDoubles(new double[8], 8)), false);
        Npy.writeNpz(path("STATS16.npz"), Map.of("mu", NpyArray.ofDoubles(new double[16], 16),
                "sigma", NpyArray.ofDoubles(identity(16), 16, 16)), false);
        double[] sigma = identity(8);
        sigma[0] = Double.NaN;
        Npy.writeNpz(path("STATSNAN.npz"), Map.of("mu", NpyArray.ofDoubles(new double[8], 8),
                "sigma", NpyArray.ofDoubles(sigma, 8, 8)), false);
        Files.writeString(path("NOTONNX.onnx"), "hello");
        inputs.put("EIGHTCHANNEL.onnx", root.resolve("testdata/onnx/dcgan-tiny.onnx"));
        inputs.put("GEN", root.resolve("testdata/reference-gan/generator.onnx"));
        inputs.put("OUTDIR", Files.createDirectories(dir.resolve("OUTDIR")));
    }

    static Stream<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(docs())) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(new Row(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4)));
            }
        }
        return rows.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyRowOfTheTableIsWhatTheProgramDoes() throws IOException {
        List<Row> rows = rows().toList();
        assertTrue(rows.size() >= 35, "the table's rows were not found: " + rows.size());
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.input(), () -> check(row)));
    }

    private static void check(Row row) {
        String[] args = row.command().split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = substitute(args[i]);
        }
        GanEvalTest.Run r = GanEvalTest.run(args);
        dev.ganeval.core.linalg.ComputeThreads.reset();
        String said = r.out() + r.err();
        assertEquals(row.exit(), r.code(), row.command() + " exits " + r.code() + ": " + said);
        if (row.exit() != 0) {
            assertEquals(1, r.err().strip().lines().count(), "a failure is one line: " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        String want = substitute(row.says());
        assertTrue(said.contains(want), "expected\n  " + want + "\nin\n  " + said);
    }

    /** The input names in {@code text} (a whole word, or the start of a path) replaced by the paths made for them. */
    private static String substitute(String text) {
        String s = text;
        for (Map.Entry<String, Path> e : inputs.entrySet()) {
            s = s.replaceAll("(?<![\\w/.])" + Pattern.quote(e.getKey()) + "(?![\\w.])", Matcher.quoteReplacement(e.getValue().toString()));
        }
        return s;
    }

    /** Each test named under "Tested elsewhere" exists, so the table does not point at nothing. */
    @Test
    void everyTestTheTablePointsToExists() throws IOException {
        int named = 0;
        for (String line : Files.readAllLines(docs())) {
            Matcher m = ELSEWHERE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            named++;
            String cls = m.group(1);
            List<Path> found;
            try (Stream<Path> files = Files.walk(root, 12)) {
                found = files.filter(p -> p.toString().contains("src" + java.io.File.separator + "test")
                        && p.getFileName().toString().equals(cls + ".java")).toList();
            }
            assertEquals(1, found.size(), cls + ".java among the tests");
            if (m.group(2) != null) {
                assertTrue(Files.readString(found.get(0)).contains(" void " + m.group(2) + "("), cls + "." + m.group(2));
            }
        }
        assertTrue(named >= 8, "rows of 'Tested elsewhere' found: " + named);
    }

    private static Path docs() {
        return CheckNetworkCommandTest.fixtures().getParent().getParent().resolve("docs/bad-input.md");
    }

    private static Path path(String name) {
        return inputs.computeIfAbsent(name, dir::resolve);
    }

    private static void folder(String name, int n, int size, int type, Random rng) throws IOException {
        Path f = Files.createDirectories(path(name));
        for (int i = 0; i < n; i++) {
            image(f.resolve(String.format("%0" + (n > 10 ? 2 : 3) + "d.png", i)), size, type, rng);
        }
    }

    private static void image(Path file, int size, int type, Random rng) throws IOException {
        BufferedImage img = new BufferedImage(size, size, type);
        var raster = img.getRaster();
        int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int b = 0; b < raster.getNumBands(); b++) {
                    raster.setSample(x, y, b, rng.nextInt(max + 1));
                }
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    private static float[] gaussian(int n, Random rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    private static double[] identity(int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            m[i * d + i] = 1;
        }
        return m;
    }

    private static void npy(String name, NpyArray a) throws IOException {
        Npy.write(path(name), a);
    }

    /** A version 1.0 .npy with {@code header} as its dictionary (padded as NumPy pads it) and {@code data} after it. */
    private static byte[] rawNpy(String header, byte[] data) {
        int len = 10 + header.length() + 1;
        String padded = header + " ".repeat((64 - len % 64) % 64) + "\n";
        byte[] h = padded.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + h.length + data.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(data, 0, out, 10 + h.length, data.length);
        return out;
    }
}
