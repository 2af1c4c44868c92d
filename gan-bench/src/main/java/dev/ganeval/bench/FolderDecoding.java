package dev.ganeval.bench;

import dev.ganeval.core.data.ImageFolder;
import dev.ganeval.core.linalg.ComputeThreads;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * How long reading a folder of large images takes on 1 and on T threads ({@link ImageFolder#read}, in batches of 10 as
 * a scoring run reads them): 40 RGB PNGs of 1024 × 1024 (smooth colour fields with pixel noise, about 2.9 MB each,
 * written into DIR first when it does not hold 40 images), median of 3 passes after one warm-up pass. Prints one JSON line.
 *
 * <pre>java -cp gan-bench/target/benchmarks.jar dev.ganeval.bench.FolderDecoding DIR [T]</pre>
 */
public final class FolderDecoding {
    private static final int IMAGES = 40;
    private static final int SIDE = 1024;

    private FolderDecoding() {}

    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        int threads = a.length > 1 ? Integer.parseInt(a[1]) : 2;
        Files.createDirectories(dir);
        if (ImageFolder.images(dir).size() != IMAGES) {
            write(dir);     // all 40 again: what a write cut short left is overwritten with the same images
        }
        StringBuilder json = new StringBuilder("{");
        for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
            ComputeThreads.set(t);
            ImageFolder f = ImageFolder.open(dir, ImageFolder.Color.RGB);
            double[] ms = new double[4];
            for (int rep = 0; rep < ms.length; rep++) {
                long s = System.nanoTime();
                for (int i = 0; i < f.size(); i += 10) {
                    f.read(i, Math.min(f.size(), i + 10));
                }
                ms[rep] = (System.nanoTime() - s) / 1e6;
            }
            double[] measured = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(measured);
            json.append(String.format(Locale.ROOT, "\"threads_%d_ms\": %.0f, ", t, measured[1]));
        }
        json.append(String.format(Locale.ROOT, "\"images\": %d, \"side\": %d}", ImageFolder.images(dir).size(), SIDE));
        System.out.println(json);
    }

    /** Smooth fields (bilinear between random 16 × 16 colours) plus ±8 of pixel noise: photographs' PNG sizes. */
    private static void write(Path dir) throws Exception {
        Random r = new Random(7);
        for (int n = 0; n < IMAGES; n++) {
            int[][] grid = new int[17 * 17][3];
            for (int[] c : grid) {
                for (int k = 0; k < 3; k++) {
                    c[k] = r.nextInt(256);
                }
            }
            BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
            double cell = SIDE / 16.0;
            for (int y = 0; y < SIDE; y++) {
                int gy = (int) (y / cell);
                double fy = y / cell - gy;
                for (int x = 0; x < SIDE; x++) {
                    int gx = (int) (x / cell);
                    double fx = x / cell - gx;
                    int rgb = 0;
                    for (int k = 0; k < 3; k++) {
                        double v = (1 - fy) * ((1 - fx) * grid[gy * 17 + gx][k] + fx * grid[gy * 17 + gx + 1][k])
                                + fy * ((1 - fx) * grid[(gy + 1) * 17 + gx][k] + fx * grid[(gy + 1) * 17 + gx + 1][k]);
                        int p = (int) Math.max(0, Math.min(255, Math.round(v) + r.nextInt(17) - 8));
                        rgb = rgb << 8 | p;
                    }
                    img.setRGB(x, y, rgb);
                }
            }
            ImageIO.write(img, "png", dir.resolve(String.format(Locale.ROOT, "%03d.png", n)).toFile());
        }
    }
}
