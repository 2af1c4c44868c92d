package dev.ganeval.core.onnx;

import java.nio.file.Path;

/** A model that cannot be loaded or run: unreadable file, invalid graph, unavailable device, wrong inputs. */
public class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public ModelLoadException(Path model, String reason, Throwable cause) {
        super((model == null ? "" : model + ": ") + reason, cause);
    }
}
