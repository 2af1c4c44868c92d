package dev.ganeval.metrics;

import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The reference values testdata/make_metric_references.py computed with numpy, scipy, POT and scikit-learn. */
final class Reference {
    private final Map<String, NpyArray> arrays;

    private Reference(Map<String, NpyArray> arrays) {
        this.arrays = arrays;
    }

    static Reference load(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("testdata/reference"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("testdata/reference not found");
        }
        return new Reference(Npy.readNpz(dir.resolve("testdata/reference").resolve(name + ".npz")));
    }

    private NpyArray get(String key) {
        NpyArray a = arrays.get(key);
        if (a == null) {
            throw new IllegalArgumentException("no array " + key + " in the reference; have " + arrays.keySet());
        }
        return a;
    }

    FloatMatrix matrix(String key) {
        return get(key).toMatrix();
    }

    double[] doubles(String key) {
        return get(key).toDoubles();
    }

    double scalar(String key) {
        return get(key).toDoubles()[0];
    }
}
