package dev.ganeval.cli;

import java.io.PrintWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The library's warnings ({@link System.Logger}s under {@code dev.ganeval}: a model put on the CPU by
 * {@code --device cuda-or-cpu}, a missing Vector API module) as one {@code ganeval: ...} line each on the command's
 * stderr, instead of java.util.logging's two-line console format with a timestamp.
 */
final class LibraryWarnings extends Handler {
    /** Held so the logger, and the configuration on it, is not collected. */
    private static final Logger LIBRARY = Logger.getLogger("dev.ganeval");
    private static final LibraryWarnings HANDLER = new LibraryWarnings();

    static {
        LIBRARY.setUseParentHandlers(false);
        LIBRARY.addHandler(HANDLER);
        HANDLER.setLevel(Level.WARNING);
        HANDLER.setFormatter(new SimpleFormatter());
    }

    private volatile PrintWriter err;

    private LibraryWarnings() {
    }

    /** Sends the library's warnings to {@code err} from now on (the last command line built wins). */
    static void to(PrintWriter err) {
        HANDLER.err = err;
    }

    @Override
    public void publish(LogRecord record) {
        PrintWriter target = err;
        if (target != null && isLoggable(record)) {
            target.println("ganeval: " + getFormatter().formatMessage(record));
            target.flush();
        }
    }

    @Override
    public void flush() {
        PrintWriter target = err;
        if (target != null) {
            target.flush();
        }
    }

    @Override
    public void close() {
        err = null;
    }
}
