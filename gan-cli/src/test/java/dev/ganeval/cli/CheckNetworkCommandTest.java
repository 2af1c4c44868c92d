package dev.ganeval.cli;

import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckNetworkCommandTest {
    @TempDir
    Path tmp;

    static Path fixtures() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("testdata/onnx"))) {
            dir = dir.getParent();
        }
        return dir.resolve("testdata/onnx");
    }

    private Path archive(String name, float[] x, int[] xShape, float[] y, int[] yShape) throws IOException {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        if (x != null) {
            a.put("images", NpyArray.ofFloats(x, xShape));
        }
        a.put("y", NpyArray.ofFloats(y, yShape));
        Path p = tmp.resolve(name);
        Npy.writeNpz(p, a, false);
        return p;
    }

    @Test
    void aFaithfulConversionPassesAndADifferentOneFails() throws IOException {
        Path model = fixtures().resolve("avgpool-pad.onnx");
        Map<String, NpyArray> ref = Npy.readNpz(fixtures().resolve("avgpool-pad.npz"));
        float[] x = ref.get("x").toFloats();
        float[] y = ref.get("y").toFloats();
        int[] xs = ref.get("x").shape();
        int[] ys = ref.get("y").shape();
        GanEvalTest.Run ok = GanEvalTest.run("check-network", model.toString(), archive("ok.npz", x, xs, y, ys).toString());
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("y ") && ok.out().contains(" ok"), ok.out());

        float[] off = y.clone();
        off[3] *= 1.1f;
        off[3] += 0.5f;
        GanEvalTest.Run bad = GanEvalTest.run("check-network", model.toString(), archive("off.npz", x, xs, off, ys).toString());
        assertEquals(1, bad.code(), bad.out() + bad.err());
        assertTrue(bad.out().contains("DIFFERS") && bad.err().contains("do not use it"), bad.out() + bad.err());

        GanEvalTest.Run noImages = GanEvalTest.run("check-network", model.toString(), archive("noimg.npz", null, null, y, ys).toString());
        assertEquals(2, noImages.code());
        assertTrue(noImages.err().contains("has no input array: name it 'images' or 'x' (the model's input)"), noImages.err());
        // A model whose input is called 'images' (Inception-v3 as ganeval builds it) is not named twice.
        Path inception = tmp.resolve("inception-w16.onnx");
        Files.write(inception, dev.ganeval.metrics.features.InceptionV3.onnx(dev.ganeval.core.torch.TorchCheckpoint.read(
                fixtures().resolveSibling("inception").resolve("fid_inception_w16.pth"))));
        GanEvalTest.Run once = GanEvalTest.run("check-network", inception.toString(), archive("noimg2.npz", null, null, y, ys).toString());
        assertEquals(2, once.code());
        assertTrue(once.err().contains("has no input array: name it 'images'; found") && !once.err().contains("or 'images'"),
                once.err());


        // An archive that names the input as the graph does (the fixture's own x and y) is checked the same way.
        GanEvalTest.Run byGraphName = GanEvalTest.run("check-network", model.toString(), fixtures().resolve("avgpool-pad.npz").toString());
        assertEquals(0, byGraphName.code(), byGraphName.out() + byGraphName.err());
        assertEquals(ok.out(), byGraphName.out());

        for (String tol : new String[] {"-1", "NaN", "Infinity"}) {
            GanEvalTest.Run t = GanEvalTest.run("check-network", model.toString(), fixtures().resolve("avgpool-pad.npz").toString(),
                    "--tolerance", tol);
            assertEquals(2, t.code(), tol);
            assertTrue(t.err().startsWith("ganeval: --tolerance must be a finite number >= 0, got "), t.err());
        }
    }
}
