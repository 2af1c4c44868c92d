package dev.ganeval.cli;

import dev.ganeval.core.onnx.Device;
import dev.ganeval.core.onnx.OnnxModel;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.Optional;

/** {@code --device} for the commands that run ONNX Runtime, and the fallback it allows. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "cpu|cuda|cuda-or-cpu", defaultValue = "cpu",
            description = "Where ONNX Runtime runs: cpu; cuda (stops with one message where CUDA cannot be used); "
                    + "cuda-or-cpu (CUDA where it can be used, else the CPU, saying so on stderr) (default: ${DEFAULT-VALUE}).")
    String name;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Device chosen;
    /** {@link OnnxModel#cpuFallbacks()} when the device was settled: later ones are this command's models. */
    private long fallbacksBefore;

    /**
     * The device to load models on; {@code cuda-or-cpu} settles here, once, and says when it falls back. Where the
     * check passes it stays CUDA_OR_CPU, so that a model CUDA still fails on runs on the CPU (the library says so).
     */
    Device device() {
        if (chosen == null) {
            chosen = switch (name.toLowerCase(Locale.ROOT)) {
                case "cpu" -> Device.CPU;
                case "cuda" -> Device.CUDA;
                case "cuda-or-cpu" -> {
                    Optional<String> why = OnnxModel.cudaUnavailable();
                    why.ifPresent(w -> mixee.commandLine().getErr().println(
                            "ganeval: CUDA cannot be used here (" + w + "); running on the CPU, as --device cuda-or-cpu allows"));
                    fallbacksBefore = OnnxModel.cpuFallbacks();
                    yield why.isPresent() ? Device.CPU : Device.CUDA_OR_CPU;
                }
                default -> throw new IllegalArgumentException("--device must be cpu, cuda or cuda-or-cpu, got " + name);
            };
        }
        return chosen;
    }

    /**
     * Where ONNX Runtime ran for reports: "cpu", "cuda", "cuda+cpu" when {@code cuda-or-cpu} had to put some of the
     * models on the CPU, or null when nothing asked for a device.
     */
    String used() {
        if (chosen != Device.CUDA_OR_CPU) {
            return chosen == null ? null : chosen.name().toLowerCase(Locale.ROOT);
        }
        return OnnxModel.cpuFallbacks() > fallbacksBefore ? "cuda+cpu" : "cuda";
    }

    /** Refuses --device where ONNX Runtime runs nothing, rather than ignoring it; {@code why} says what runs instead. */
    void requireOnnx(boolean onnx, String why) {
        OptionUse.onlyWhere(mixee, onnx, "sets where ONNX Runtime runs, and nothing runs on it here: " + why, "--device");
    }
}
