package dev.ganeval.core.onnx;

import java.nio.file.Path;

/** A model that cannot be loaded or run: unreadable file, invalid graph, unavailable device, wrong inputs. */
public class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean unreadable;

    public ModelLoadException(Path model, String reason, Throwable cause) {
        this((model == null ? "" : model + ": ") + reason, cause);
    }

    public ModelLoadException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private ModelLoadException(String message, Throwable cause, boolean unreadable) {
        super(message, cause);
        this.unreadable = unreadable;
    }

    /** ONNX Runtime could not make a CPU session of the model's bytes: the file is not a model it can read. */
    static ModelLoadException unreadable(String message, Throwable cause) {
        return new ModelLoadException(message, cause, true);
    }

    /**
     * True when the model itself is unreadable (a damaged or foreign file), false when it was refused for other reasons:
     * a device that is missing, an input or output the caller needs. A cache may rebuild the former, not the latter.
     */
    public boolean modelUnreadable() {
        return unreadable;
    }
}
