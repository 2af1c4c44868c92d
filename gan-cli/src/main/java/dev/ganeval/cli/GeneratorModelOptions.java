package dev.ganeval.cli;

import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.sampling.Noise;
import dev.ganeval.core.onnx.OnnxGenerator;
import dev.ganeval.core.sampling.PixelRange;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How to drive an ONNX generator that does not say so in its metadata: its noise and the range of its outputs. */
final class GeneratorModelOptions {
    @Option(names = "--noise", paramLabel = "DIST",
            description = "Generator noise: normal[:std] or uniform[:half-width] (default: the model's ganeval metadata, else normal).")
    String noise;

    @Option(names = "--pixel-range", paramLabel = "LOW,HIGH",
            description = "Range of the generator's outputs, mapped to [0,1] (default: the model's metadata, else -1,1).")
    String pixelRange;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** Refuses --noise and --pixel-range where no ONNX generator is drawn; {@code why} says what is drawn instead. */
    void requireGenerator(boolean generator, String why) {
        OptionUse.onlyWhere(mixee, generator, "describes an ONNX generator; " + why, "--noise", "--pixel-range");
    }

    OnnxGenerator load(Path generator, Device device) {
        return OnnxGenerator.load(generator, device, noise == null ? null : Noise.parse(noise),
                pixelRange == null ? null : PixelRange.parse(pixelRange));
    }
}
