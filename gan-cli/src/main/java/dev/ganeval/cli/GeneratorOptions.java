package dev.ganeval.cli;

import dev.ganeval.core.Progress;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.GeneratorSource;
import dev.ganeval.core.onnx.OnnxGenerator;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Options for drawing samples from an ONNX generator ({@code --generator g.onnx}, or any source ending in
 * {@code .onnx}), and the parsing of a source argument that may be one.
 */
final class GeneratorOptions {
    @Option(names = "--generator", paramLabel = "G.onnx",
            description = "Draw the generated side from this ONNX generator (noise in, samples out) instead of FAKE.")
    Path generator;

    @Option(names = "--n", paramLabel = "N", defaultValue = "10000", description = "Samples to draw from a generator (default: ${DEFAULT-VALUE}).")
    int n;

    @picocli.CommandLine.Mixin
    GeneratorModelOptions model;

    @Option(names = "--sample-seed", paramLabel = "N", defaultValue = "2014", description = "Seed of the generator's noise (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Refuses the sampling options when {@code spec}, the side they would draw, is data rather than a generator. */
    void requireGeneratorFor(String spec) {
        String why = "applies to samples drawn from an ONNX generator (--generator, or an input ending in .onnx), and "
                + spec + " is data";
        OptionUse.onlyWhere(mixee, draws(spec), why, "--n", "--sample-seed", "--noise", "--pixel-range");
    }

    /** Whether {@code spec} is sampled: the --generator, whatever its file name, or an input ending in .onnx. */
    boolean draws(String spec) {
        return isGenerator(spec) || generator != null && spec.equals(generator.toString());
    }

    static boolean isGenerator(String spec) {
        return spec.toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    /**
     * The source {@code spec} names: a generator (sampled now, {@code --n} rows, with a progress bar; its warnings
     * go to {@code err}) or anything {@link SampleSource#parse} reads.
     */
    SampleSource open(String spec, boolean gray, Device device, Progress progress, PrintWriter err) {
        if (!draws(spec)) {
            return SampleSource.parse(spec, gray);
        }
        try (OnnxGenerator g = model.load(Path.of(spec), device)) {
            GeneratorSource src = new GeneratorSource(g, n, sampleSeed, 500, progress);
            FloatMatrix x = src.read();
            for (String w : src.warnings()) {
                err.println("ganeval: warning: " + w);
            }
            String name = spec + " (" + src.settings() + ")";
            return SampleSource.of(() -> x, src.channels(), src.height(), src.width(), name);
        }
    }
}
