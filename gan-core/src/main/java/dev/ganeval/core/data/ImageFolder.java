package dev.ganeval.core.data;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.ComputeThreads;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Parallel;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A folder of images read as samples: the files directly inside it whose extension is one of
 * {@link #EXTENSIONS} (case-insensitive), sorted by file name, decoded to floats in [0, 1].
 *
 * <p>Each image becomes one row: channel-planar ({@code C × H × W}, the layout of a PyTorch tensor), RGB
 * or grayscale. Alpha is dropped without compositing and palette images are expanded, as PIL's
 * {@code convert('RGB')} does; RGB turns into gray with PIL's integer luma
 * {@code (19595·R + 38470·G + 7471·B + 2¹⁵) >> 16}; gray turns into RGB by replication. Every image
 * must have the size of the first. Reading is batched ({@link #batches(int)}) so memory stays bounded
 * for folders of any size.
 *
 * <p>An empty folder, a corrupt or unreadable image, or an image of another size is an
 * {@link InvalidInputException} naming the file.
 */
public final class ImageFolder {
    /** Folders whose 16-bit gray images were warned about (once a folder, not once a file). */
    private static final java.util.Set<Path> WIDE_GRAY_WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** File extensions read, those pytorch-fid accepts. */
    public static final Set<String> EXTENSIONS = Set.of("bmp", "gif", "jpeg", "jpg", "pgm", "png", "ppm", "tif", "tiff", "webp");

    /** The colour layout of the decoded rows. */
    public enum Color {
        RGB(3),
        GRAY(1),
        /**
         * Gray, for readers of gray data only (the reference GAN, the MNIST Parzen protocol): an image with a pixel
         * whose red, green and blue differ is an error naming the file, since converting it would train or score
         * something other than what the user has. Gray pixels stored as RGB read as {@link #GRAY} reads them.
         */
        GRAY_ONLY(1);

        private final int channels;

        Color(int channels) {
            this.channels = channels;
        }

        public int channels() {
            return channels;
        }
    }

    /** One decoded image: {@code channels × height × width} values in [0, 1], channel-planar. */
    public record Image(int width, int height, int channels, float[] pixels) {}

    private final Path folder;
    private final Color color;
    private final List<Path> files;
    private final int width;
    private final int height;

    private ImageFolder(Path folder, Color color, List<Path> files, int width, int height) {
        this.folder = folder;
        this.color = color;
        this.files = files;
        this.width = width;
        this.height = height;
    }

    /**
     * Lists a folder's images and decodes the first to learn the image size.
     *
     * @throws InvalidInputException if the folder is missing, unreadable or holds no images, or the first
     *     image cannot be decoded
     */
    public static ImageFolder open(Path folder, Color color) {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(color, "color");
        if (!Files.exists(folder)) {
            throw new InvalidInputException(folder, "no such folder");
        }
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder, "is not a folder");
        }
        List<Path> files = images(folder);
        if (files.isEmpty()) {
            throw new InvalidInputException(folder, "no images in this folder (looked for files ending in "
                    + String.join(", ", EXTENSIONS.stream().sorted().toList()) + ")" + subfolderHint(folder));
        }
        Image first = decode(files.get(0), color);
        return new ImageFolder(folder, color, files, first.width, first.height);
    }

    /**
     * The image files directly in {@code folder} (by {@link #EXTENSIONS}, case-insensitive), sorted by name: what
     * {@link #open} would read.
     *
     * @throws InvalidInputException if the folder cannot be listed
     */
    public static List<Path> images(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> Files.isRegularFile(p) && EXTENSIONS.contains(extension(p)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException(folder, "cannot list the folder: " + e.getMessage(), e);
        }
    }

    /** Class-per-folder layouts (torchvision's ImageFolder) hold their images one level down; say so. */
    private static String subfolderHint(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            List<String> subs = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            if (subs.isEmpty()) {
                return "";
            }
            return "; images are read from the folder itself, not its " + subs.size() + " subfolder" + (subs.size() == 1 ? "" : "s")
                    + " (" + String.join(", ", subs.subList(0, Math.min(3, subs.size()))) + (subs.size() > 3 ? ", ..." : "")
                    + "): give one of them, or gather the images into one folder";
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    public Path folder() {
        return folder;
    }

    /** The image files, in the order their rows appear. */
    public List<Path> files() {
        return files;
    }

    public int size() {
        return files.size();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int channels() {
        return color.channels;
    }

    /** Values per row: {@code channels × height × width}. */
    public int rowLength() {
        return color.channels * height * width;
    }

    /**
     * Images {@code from} (inclusive) to {@code to} (exclusive) as rows of a new matrix, decoded on the compute threads
     * ({@link ComputeThreads}; fewer when the heap is small), each thread a run of consecutive files. When several
     * files fail, the error is the first of them in file order, as a one-thread read would give.
     *
     * @throws InvalidInputException naming the file, when one cannot be decoded or has another size
     */
    public FloatMatrix read(int from, int to) {
        Objects.checkFromToIndex(from, to, files.size());
        int len = rowLength();
        int n = to - from;
        FloatMatrix m = new FloatMatrix(n, len);
        if (n == 0) {
            return m;
        }
        // A large PNG takes about as long to decode on one core as Inception-v3 takes on two: on one thread, decoding
        // was 43 % of scoring a folder of 1024 x 1024 images on 2 cores, and would be most of it on 16.
        RuntimeException[] failed = new RuntimeException[n];
        // The first bad file found so far: files after it need not be decoded, those before it still must.
        AtomicInteger firstBad = new AtomicInteger(n);
        int parts = Math.min(n, decodingThreads());
        Parallel.run(parts, part -> {
            for (int k = (int) ((long) n * part / parts), end = (int) ((long) n * (part + 1) / parts); k < end; k++) {
                if (k > firstBad.get()) {
                    return;
                }
                try {
                    Path file = files.get(from + k);
                    Image img = decode(file, color);
                    if (img.width != width || img.height != height) {
                        throw new InvalidInputException(file, "image is " + img.width + "x" + img.height + " but "
                                + files.get(0).getFileName() + " is " + width + "x" + height
                                + "; every image in a folder must have the same size");
                    }
                    System.arraycopy(img.pixels, 0, m.data(), k * len, len);
                } catch (RuntimeException e) {
                    failed[k] = e;   // this run stops here; the earlier files of other runs are still read
                    firstBad.accumulateAndGet(k, Math::min);
                    return;
                }
            }
        });
        for (RuntimeException e : failed) {
            if (e != null) {
                throw e;
            }
        }
        return m;
    }

    /**
     * The compute threads, fewer when the images decoding at once would pass 1/8 of the heap: a raster of 4 bytes a
     * pixel (16-bit or RGBA rasters take more, and WebP's encoded bytes are held too: the 1/8 leaves room) and the float
     * rows.
     */
    private int decodingThreads() {
        return ComputeThreads.withinHeap(4L * width * height + 8L * color.channels * width * height);
    }

    /** Every image; for large folders prefer {@link #batches(int)}. */
    public FloatMatrix readAll() {
        return read(0, files.size());
    }

    /** The images in order, {@code batchSize} rows at a time (the last batch may be smaller). */
    public Iterator<FloatMatrix> batches(int batchSize) {
        return RowBatches.of(files.size(), batchSize, this::read);
    }

    /**
     * Whether {@code encoded} is a WebP image with a lossy ({@code VP8 }) bitstream: the RIFF chunks after the header are
     * walked until a {@code VP8 } or {@code VP8L} (lossless) one. Anything that is not WebP is left to the decoder.
     */
    private static boolean lossyWebp(byte[] encoded) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(encoded).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (encoded.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x50424557) { // "RIFF", "WEBP"
            return false;
        }
        long at = 12;
        for (int i = 0; i < 64 && at + 8 <= encoded.length; i++) {
            int fourcc = buf.getInt((int) at);
            if (fourcc == 0x20385056) { // "VP8 "
                return true;
            }
            if (fourcc == 0x4C385056) { // "VP8L"
                return false;
            }
            long size = buf.getInt((int) at + 4) & 0xFFFFFFFFL;
            at += 8 + size + (size & 1);
        }
        return false;
    }

    /**
     * Decodes one image file.
     *
     * @throws InvalidInputException if it cannot be read or decoded
     */
    public static Image decode(Path file, Color color) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(color, "color");
        Streams.requireReadableFile(file);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".webp")) {
            try {
                return decode(Files.readAllBytes(file), file, color);
            } catch (IOException e) {
                throw new InvalidInputException(file, "cannot be read: " + e.getMessage(), e);
            }
        }
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(in, file, color);
        } catch (IOException e) {
            throw new InvalidInputException(file, "corrupt or unreadable image: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes one image from its encoded bytes (a file's content read elsewhere, e.g. by a distributed job), exactly as
     * {@link #decode(Path, Color)} decodes the file; {@code name} names it in errors.
     *
     * @throws InvalidInputException if it cannot be decoded
     */
    public static Image decode(byte[] encoded, Path name, Color color) {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(color, "color");
        if (lossyWebp(encoded)) {
            throw new InvalidInputException(name, "is a lossy WebP image, which ganeval would decode differently from libwebp "
                    + "(and so from PIL and pytorch-fid: its decoder skips the fancy chroma upsampling) and score differently "
                    + "in silence; convert the folder to PNG first, e.g. dwebp IN.webp -o OUT.png");
        }
        try (javax.imageio.stream.ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(
                new java.io.ByteArrayInputStream(encoded))) {
            return decode(in, name, color);
        } catch (IOException e) {
            throw new InvalidInputException(name, "corrupt or unreadable image: " + e.getMessage(), e);
        }
    }

    private static Image decode(javax.imageio.stream.ImageInputStream in, Path file, Color color) {
        BufferedImage img = null;
        String format = "";
        // ImageIO.read's own steps (the first reader that recognises the stream, default parameters), keeping the
        // reader's format: PIL narrows 16-bit samples differently per format.
        try {
            Iterator<javax.imageio.ImageReader> readers = in == null ? java.util.Collections.emptyIterator()
                    : ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                javax.imageio.ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    format = reader.getFormatName().toLowerCase(Locale.ROOT);
                    img = reader.read(0, reader.getDefaultReadParam());
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InvalidInputException(file, "corrupt or unreadable image: " + msg, e);
        }
        if (img == null) {
            // Folders copied from macOS carry AppleDouble files ("._name.png") beside the images; pytorch-fid reads them too.
            String hint = file.getFileName().toString().startsWith("._")
                    ? "; it looks like a macOS metadata file: delete them with find DIR -name '._*' -delete" : "";
            throw new InvalidInputException(file, "not an image any installed decoder recognises (corrupt, or not the format its name says)"
                    + hint);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if ((long) w * h * color.channels > Streams.MAX_ELEMENTS) {
            throw new InvalidInputException(file, "image of " + w + "x" + h + " is too large to hold as floats");
        }
        int plane = w * h;
        float[] out = new float[color.channels * plane];
        ColorModel cm = img.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            // Read gray samples directly: getRGB would push them through a linear-to-sRGB conversion.
            Raster raster = img.getRaster();
            int bits = cm.getComponentSize(0);
            double max = (1L << bits) - 1;
            if (bits > 8 && WIDE_GRAY_WARNED.add(file.toAbsolutePath().getParent())) {
                // Said once a folder: every file of a 16-bit folder is read the same way.
                System.getLogger("dev.ganeval.core.data").log(System.Logger.Level.WARNING, file + ": a " + bits + "-bit gray "
                        + "image, read as value / " + (long) max + " (ganeval keeps its range); PIL's convert('RGB'), which "
                        + "pytorch-fid uses, saturates such values at 255, so pytorch-fid's FID of these images differs: save "
                        + "them as 8-bit for numbers comparable with it");
            }
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = (float) (row[x] / max);
                    for (int c = 0; c < color.channels; c++) {
                        out[c * plane + y * w + x] = v;
                    }
                }
            }
        } else if (cm instanceof ComponentColorModel && cm.getColorSpace().isCS_sRGB() && cm.getComponentSize(0) > 8
                && (format.equals("png") || format.equals("tiff"))) {
            // 16-bit RGB PNG and TIFF: PIL keeps each sample's high byte (raw modes RGB;16B, RGB;16L) where getRGB
            // rounds; its PPM reader rounds as getRGB does, so PPM takes the path below.
            Raster raster = img.getRaster();
            int shift = cm.getComponentSize(0) - 8;
            int[][] bands = new int[3][w];
            for (int y = 0; y < h; y++) {
                for (int b = 0; b < 3; b++) {
                    raster.getSamples(0, y, w, 1, b, bands[b]);
                }
                for (int x = 0; x < w; x++) {
                    store(file, color, out, plane, x, y, w, bands[0][x] >> shift, bands[1][x] >> shift, bands[2][x] >> shift);
                }
            }
        } else if (byteSrgb(img)) {
            // 8-bit sRGB samples (PNG, JPEG, BMP of three or four channels) are the values getRGB gives, read from the
            // raster's bytes: getRGB goes pixel by pixel through the colour model, 75 % of a 1024 x 1024 PNG's decoding.
            Raster raster = img.getRaster();
            PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) raster.getSampleModel();
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            int pixelStride = sm.getPixelStride();
            int[] band = sm.getBandOffsets();
            int tx = raster.getSampleModelTranslateX();
            int ty = raster.getSampleModelTranslateY();
            int bank = raster.getDataBuffer().getOffset();
            for (int y = 0; y < h; y++) {
                int at = bank + (y - ty) * sm.getScanlineStride() - tx * pixelStride;
                for (int x = 0; x < w; x++, at += pixelStride) {
                    store(file, color, out, plane, x, y, w, data[at + band[0]] & 0xFF, data[at + band[1]] & 0xFF,
                            data[at + band[2]] & 0xFF);
                }
            }
        } else {
            int[] argb = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, argb, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = argb[x];
                    store(file, color, out, plane, x, y, w, (p >>> 16) & 0xFF, (p >>> 8) & 0xFF, p & 0xFF);
                }
            }
        }
        return new Image(w, h, color.channels, out);
    }

    /**
     * Whether {@code img} holds 8-bit sRGB colour samples, non-premultiplied alpha or none, one byte a sample in one
     * interleaved bank: the samples are then exactly what {@code getRGB} returns.
     */
    private static boolean byteSrgb(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (!(cm instanceof ComponentColorModel) || !cm.getColorSpace().isCS_sRGB() || cm.isAlphaPremultiplied()
                || cm.getNumColorComponents() != 3 || cm.getTransferType() != java.awt.image.DataBuffer.TYPE_BYTE
                || !(img.getRaster().getSampleModel() instanceof PixelInterleavedSampleModel)
                || !(img.getRaster().getDataBuffer() instanceof DataBufferByte db) || db.getNumBanks() != 1) {
            return false;
        }
        for (int c = 0; c < cm.getNumComponents(); c++) {
            if (cm.getComponentSize(c) != 8) {
                return false;
            }
        }
        return true;
    }

    /** Stores one 8-bit RGB pixel at (x, y) of {@code out} in the layout {@code color} asks for. */
    private static void store(Path file, Color color, float[] out, int plane, int x, int y, int w, int r, int g, int b) {
        int i = y * w + x;
        if (color == Color.RGB) {
            out[i] = r / 255f;
            out[plane + i] = g / 255f;
            out[2 * plane + i] = b / 255f;
            return;
        }
        if (color == Color.GRAY_ONLY && (r != g || g != b)) {
            throw new InvalidInputException(file, "is a colour image (the pixel at x " + x + ", y " + y
                    + " is RGB " + r + "," + g + "," + b + ") where gray images are needed; convert the"
                    + " images to gray first");
        }
        out[i] = ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16) / 255f;
    }
}
