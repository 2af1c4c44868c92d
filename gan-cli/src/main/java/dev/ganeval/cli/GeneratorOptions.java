package dev.ganeval.cli;

import dev.ganeval.core.Progress;
import dev.ganeval.core.data.SampleSource;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.sampling.GeneratorSource;
import dev.ganeval.core.onnx.OnnxGenerator;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Options for drawing samples from an ONNX generator ({@code --generator g.onnx}, or any source ending in
 * {@code .onnx}), and the parsing of a source argument that may be one.
 */
final class GeneratorOptions {
    @Option(names = "--generator", paramLabel = "G.onnx",
            description = "score: draw the generated side from this ONNX generator (noise in, samples out) instead of FAKE; "
                    + "stats and sample take the generator as their source instead.")
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

    private final List<OnnxGenerator> opened = new ArrayList<>();

    /**
     * The source {@code spec} names: a generator (drawn when its rows are asked for, {@code --n} of them, with a
     * progress bar when drawn whole; its warnings go to {@code err}, once) or anything {@link SampleSource#parse}
     * reads. A generator stays loaded until {@link #close}.
     */
    SampleSource open(String spec, boolean gray, Device device, Progress progress, PrintWriter err) {
        if (!draws(spec)) {
            return SampleSource.parse(spec, gray);
        }
        OnnxGenerator g = model.load(Path.of(spec), device);
        opened.add(g);
        GeneratorSource src = new GeneratorSource(g, n, sampleSeed, 500, progress);
        String name = spec + " (" + src.settings() + ")";
        return new SampleSource() {
            private boolean warned;

            private void warn() {
                if (!warned) {
                    warned = true;
                    for (String w : src.warnings()) {
                        err.println("ganeval: warning: " + w);
                    }
                }
            }

            @Override
            public FloatMatrix read() {
                FloatMatrix x = src.read();
                warn();
                return x;
            }

            @Override
            public long rowCount() {
                return n;
            }

            @Override
            public Iterator<FloatMatrix> batches(int batchSize) {
                Iterator<FloatMatrix> drawn = src.batches(batchSize);
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return drawn.hasNext();
                    }

                    @Override
                    public FloatMatrix next() {
                        FloatMatrix b = drawn.next();
                        if (!drawn.hasNext()) {
                            warn();
                        }
                        return b;
                    }
                };
            }

            @Override
            public int channels() {
                return src.channels();
            }

            @Override
            public int height() {
                return src.height();
            }

            @Override
            public int width() {
                return src.width();
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    /** Unloads the generators {@link #open} loaded. */
    void close() {
        for (OnnxGenerator g : opened) {
            g.close();
        }
        opened.clear();
    }
}
