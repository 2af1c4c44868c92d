package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;

/**
 * The {@code ganeval} command. Exit codes: 0 success, 1 a metric could not be computed, 2 bad usage or
 * bad input (one readable line on stderr; the stack trace only with {@code --verbose}).
 */
@Command(name = "ganeval", mixinStandardHelpOptions = true, versionProvider = GanEval.Version.class,
        description = "Measure how good a generative model is.",
        subcommands = {ScoreCommand.class, ReportCommand.class, StatsCommand.class, MetricsCommand.class, CheckNetworkCommand.class, DemoCommand.class, TrainCommand.class, ParzenCommand.class, SampleCommand.class, ClassifierCommand.class, KnnCommand.class, CommandLine.HelpCommand.class})
public final class GanEval implements Runnable {
    /** Exit code when a metric could not be computed. */
    public static final int EXIT_METRIC_FAILED = 1;
    /** Exit code for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** A command line wired with ganeval's error handling, writing to the given streams. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new GanEval());
        cl.setOut(out);
        cl.setErr(err);
        LibraryWarnings.to(err);
        // A mistyped command line is one line naming the problem and where the options are listed, not the whole usage.
        cl.setParameterExceptionHandler((ex, args) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            ex.getCommandLine().getErr().println("ganeval: " + unmatched(ex) + suggestion(ex) + " (see '" + name + " --help')");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            if (verbose) {
                ex.printStackTrace(line.getErr());
            }
            if (ex instanceof InvalidInputException || ex instanceof IllegalArgumentException
                    || ex instanceof dev.ganeval.core.onnx.ModelLoadException) {
                line.getErr().println("ganeval: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            FileSystemException fs = fileSystemCause(ex);
            if (fs != null) {
                line.getErr().println("ganeval: " + describe(fs));
                return EXIT_BAD_INPUT;
            }
            line.getErr().println("ganeval: " + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                    + (verbose ? "" : " (run with --verbose for details)"));
            return EXIT_METRIC_FAILED;
        });
        return cl;
    }

    /**
     * An option setter that refuses a value ({@code --threads 0}) reaches picocli as "Could not invoke ... with 0
     * (java.lang.IllegalArgumentException: ...)"; the user needs only the setter's own message.
     */
    private static String optionSetterMessage(CommandLine.ParameterException ex) {
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return ex.getMessage();
    }

    /**
     * An unknown command or option named alone ("unknown option '--limt'"), where picocli would list it with the
     * words after it ("Unknown options: '--limt', '3'"); other parse errors as {@link #optionSetterMessage} gives them.
     */
    private static String unmatched(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            return u.getCommandLine().getParent() == null ? "unknown command '" + first + "'"
                    : "unexpected argument '" + first + "'";
        }
        return optionSetterMessage(ex);
    }

    /** For a mistyped command or option, the nearest ones picocli knows ("; did you mean score?"), else nothing. */
    private static String suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) {
            return "";
        }
        List<String> near = u.getSuggestions();
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "?";
    }

    /** The file-system failure behind {@code ex}, if any: a path the user gave that cannot be read or written. */
    private static FileSystemException fileSystemCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException fs) {
                return fs;
            }
        }
        return null;
    }

    /**
     * One line for a file-system failure in the user's words: the path and what is wrong with it, not Java's
     * exception name (NoSuchFileException says nothing to someone who mistyped a folder).
     */
    static String describe(FileSystemException e) {
        String what;
        if (e instanceof NoSuchFileException) {
            what = "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "already exists, and is in the way (a file where a folder is needed, or the reverse)";
        } else if (e instanceof NotDirectoryException) {
            what = "not a folder";
        } else if (e instanceof DirectoryNotEmptyException) {
            what = "the folder is not empty";
        } else if (e.getReason() != null) {
            what = e.getReason().substring(0, 1).toLowerCase(java.util.Locale.ROOT) + e.getReason().substring(1);
        } else {
            what = "cannot be read or written";
        }
        String path = e.getFile() == null ? "" : e.getFile() + ": ";
        String other = e.getOtherFile() == null ? "" : " (with " + e.getOtherFile() + ")";
        return path + what + other;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // An Error passes picocli's handlers; say what ran out and the two ways round it, not a stack trace.
            err.println("ganeval: out of memory (" + e.getMessage() + ", at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB): give Java more with GANEVAL_JAVA_OPTS=-Xmx16g (java -Xmx16g -jar ...), or score fewer samples (--limit)");
            code = EXIT_METRIC_FAILED;
        }
        // Autoflush covers println only: a report written with print must not be lost at exit.
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The version from the jar manifest, or the development version when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ganeval " + dev.ganeval.metrics.evaluation.EvaluationReport.currentToolVersion(),
                    "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.arch")};
        }
    }
}
