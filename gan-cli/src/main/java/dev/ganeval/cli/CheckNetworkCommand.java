package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.Npy;
import dev.ganeval.core.data.NpyArray;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Checks a converted network against the framework it came from: runs the ONNX file on the {@code images} of a
 * check archive (written by {@code tools/export_inception_onnx.py --check N}) and compares every other array in
 * it with the output of the same name.
 */
@Command(name = "check-network", mixinStandardHelpOptions = true,
        description = "Compare an ONNX network's outputs with reference outputs in an .npz (images + one array per output).")
final class CheckNetworkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Parameters(index = "1", paramLabel = "CHECK.npz", description = "The input (named 'images' or as the model's input) and "
            + "reference outputs named as the model's outputs.")
    Path check;

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-4",
            description = "Largest accepted max|difference| / max|reference| per output (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @picocli.CommandLine.Mixin
    DeviceOption device;

    @picocli.CommandLine.Mixin
    RunOptions run;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("--tolerance must be a finite number >= 0, got " + tolerance);
        }
        Map<String, NpyArray> arrays = Npy.readNpz(check);
        boolean ok = true;
        int compared = 0;
        try (OnnxModel m = OnnxModel.load(model, device.device())) {
            // tools/export_inception_onnx.py calls the input 'images'; an archive made by hand may use the graph's name.
            String inputKey = arrays.containsKey("images") ? "images" : m.inputName();
            NpyArray images = arrays.get(inputKey);
            if (images == null) {
                throw new InvalidInputException(check, "has no input array: name it 'images'" + (m.inputName().equals("images")
                        ? "" : " or '" + m.inputName() + "' (the model's input)") + "; found " + arrays.keySet());
            }
            long[] shape = Arrays.stream(images.shape()).asLongStream().toArray();
            float[] x = images.toFloats();
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                if (e.getKey().equals(inputKey)) {
                    continue;
                }
                if (!m.outputNames().contains(e.getKey())) {
                    throw new InvalidInputException(check, "array '" + e.getKey() + "' names no output of " + model.getFileName()
                            + " " + m.outputNames());
                }
                FloatMatrix got = m.run(x, shape, e.getKey());
                float[] want = e.getValue().toFloats();
                if (want.length != got.data().length) {
                    throw new InvalidInputException(check, "'" + e.getKey() + "' has " + want.length + " values; the model gives "
                            + got.data().length);
                }
                double maxDiff = 0;
                double maxRef = 0;
                for (int i = 0; i < want.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs((double) want[i] - got.data()[i]));
                    maxRef = Math.max(maxRef, Math.abs(want[i]));
                }
                double rel = maxRef == 0 ? maxDiff : maxDiff / maxRef;
                boolean pass = rel <= tolerance;
                ok &= pass;
                compared++;
                out.printf(Locale.ROOT, "%-12s max|diff|/max|ref| = %.2e  %s%n", e.getKey(), rel, pass ? "ok" : "DIFFERS");
            }
        }
        if (compared == 0) {
            throw new InvalidInputException(check, "holds no reference outputs besides the input");
        }
        if (!ok) {
            spec.commandLine().getErr().println("ganeval: " + model.getFileName() + " differs from the reference outputs by more than "
                    + tolerance + "; do not use it for scores");
            return GanEval.EXIT_METRIC_FAILED;
        }
        return 0;
    }
}
