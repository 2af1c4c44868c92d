package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxGenerator;
import dev.ganeval.core.onnx.ShippedGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's library example, run as written: the lines between the markers below are the README's code block, byte
 * for byte once indented alike (checked here), and they run on a folder of 1,000 MNIST test digits and the shipped
 * reference generator.
 */
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void theReadmeExampleRunsAsWritten() throws IOException {
        Path folder = digits(tmp.resolve("digits"), 1000);
        try (OnnxGenerator generator = ShippedGenerator.mnist(Device.CPU)) {
            // README example begin
            EvaluationReport report = Evaluation.builder()
                    .real(SampleSources.grayFolder(folder))           // a folder of 28x28 gray images
                    .fake(generator, 2_000, 1, 1, 28, 28)             // any Generator: 2,000 samples, seed 1, 1x28x28
                    .metrics("fid", "is")
                    .metric("kid", Map.of("subset_size", 500))        // each metric's settings by name
                    .run();                                           // checked whole before any sample is read
            System.out.print(ReportWriter.text(report));              // one line a score, as ganeval score prints
            double fid = report.score("fid").value();
            // README example end
            assertTrue(fid > 0 && fid < 20, "the shipped generator is close to the digits: " + fid);
            assertEquals(1000, report.inputs().get(0).samples());
            assertEquals(2000, report.inputs().get(1).samples());
            assertTrue(report.score("is").value() > 5, ReportWriter.text(report));
        }
        String source = Files.readString(Path.of("src/test/java/dev/ganeval/metrics/evaluation/ReadmeExampleTest.java"));
        String example = strip(source.substring(source.indexOf("// README example begin") + 24,
                source.indexOf("// README example end")));
        Path readme = Path.of("..", "README.md");
        assertTrue(strip(Files.readString(readme)).contains(example), "README.md's library example differs from this test's:\n"
                + example);
    }

    /** Every line without its leading spaces, so the test's indentation and the README's agree. */
    private static String strip(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
    }

    /** The first {@code n} MNIST test digits as gray PNGs. */
    static Path digits(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        FloatMatrix x = Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images());
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 784; p++) {
                img.getRaster().setSample(p % 28, p / 28, 0, Math.round(x.data()[i * 784 + p] * 255));
            }
            ImageIO.write(img, "png", dir.resolve(String.format("%05d.png", i)).toFile());
        }
        return dir;
    }
}
