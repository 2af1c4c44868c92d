package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.data.AtomicFiles;
import dev.ganeval.metrics.report.TrainingRunPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page of a training run that {@code ganeval train --out RUN_DIR} wrote: the curves of its {@code metrics.csv}
 * ({@link TrainingCurve}) against the epoch, and its {@code samples-NNN.png} grids over the epochs.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML page of a training run ('ganeval train --out RUN_DIR'): Parzen (and any "
                + "other quality figure metrics.csv has), losses and D's outputs against the epoch, and the sample grids over "
                + "the epochs. For one evaluation, use 'ganeval score ... --html FILE'.")
final class ReportCommand implements Callable<Integer> {
    /** At most this many grids: a long run's page stays a few megabytes. */
    static final int MAX_GRIDS = 12;

    private static final Pattern GRID = Pattern.compile("samples-(\\d+)\\.png");

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The folder of a training run (holds metrics.csv).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", description = "Where the page goes (default: RUN_DIR/report.html).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir, Files.exists(dir) ? "is not a folder; give the folder 'ganeval train --out' wrote"
                    : "no such folder");
        }
        Path csv = dir.resolve("metrics.csv");
        if (!Files.isRegularFile(csv)) {
            throw new InvalidInputException(dir, "has no metrics.csv: it is not a folder 'ganeval train --out' wrote");
        }
        Path page = out != null ? out : dir.resolve("report.html");
        AtomicFiles.requireWritable(page, false);
        TrainingCurve.Table t = TrainingCurve.read(csv);
        if (t.rows().isEmpty()) {
            throw new InvalidInputException(csv, "has no epoch yet");
        }
        List<TrainingRunPage.Chart> charts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // The quality figures first: those this version writes (Parzen, FID, IS) and any other column a run may hold;
        // a figure's _se (or IS's _std over its splits) gives its error bars.
        for (String c : t.columns()) {
            if (c.equals("epoch") || c.endsWith("_se") || c.endsWith("_std") || c.endsWith("_sigma")
                    || TRAINING_COLUMNS.contains(c)) {
                continue;
            }
            if (unmeasured(t, c)) {
                continue;    // the notes below say which option measures it
            }
            double[] bars = t.column(c + "_se") != null ? t.column(c + "_se") : t.column(c + "_std");
            charts.add(new TrainingRunPage.Chart(title(c), c.equals("parzen") ? "log-likelihood (nats)" : c,
                    List.of(new TrainingRunPage.Line(c, t.column(c), bars))));
        }
        if (unmeasured(t, "parzen")) {
            notes.add("Parzen is measured only by 'ganeval train --parzen-every N'");
        }
        if (unmeasured(t, "fid") && unmeasured(t, "is")) {
            notes.add("FID and IS are measured only by 'ganeval train --fid-every N' (or score a checkpoint kept with "
                    + "--keep-every with 'ganeval score mnist:test --generator ...')");
        }
        charts.add(chart("Losses", "loss", t, "d_loss", "g_loss"));
        charts.add(chart("Discriminator outputs", "mean D", t, "d_real", "d_fake"));
        SortedMap<Integer, byte[]> grids = grids(dir, notes);
        String html = TrainingRunPage.html(new TrainingRunPage.Run(dir.toString(), t.column("epoch"), charts, grids, notes));
        AtomicFiles.write(page, html.getBytes(StandardCharsets.UTF_8));
        spec.commandLine().getOut().println(page);
        return 0;
    }

    /** True when the curve has no such column or no value in it. */
    private static boolean unmeasured(TrainingCurve.Table t, String column) {
        double[] v = t.column(column);
        return v == null || java.util.Arrays.stream(v).noneMatch(Double::isFinite);
    }

    private static final List<String> TRAINING_COLUMNS = List.of("d_loss", "g_loss", "d_real", "d_fake", "learning_rate",
            "momentum", "seconds");

    private static String title(String column) {
        return switch (column) {
            case "parzen" -> "Parzen log-likelihood (MNIST test)";
            case "fid" -> "FID";
            case "is" -> "Inception Score";
            default -> column;
        };
    }

    private static TrainingRunPage.Chart chart(String title, String yLabel, TrainingCurve.Table t, String... columns) {
        List<TrainingRunPage.Line> lines = new ArrayList<>();
        for (String c : columns) {
            double[] v = t.column(c);
            if (v != null) {
                lines.add(new TrainingRunPage.Line(c, v, null));
            }
        }
        return new TrainingRunPage.Chart(title, yLabel, lines);
    }

    /** Up to {@link #MAX_GRIDS} sample grids, evenly spread over the epochs, the first and the last among them. */
    private static SortedMap<Integer, byte[]> grids(Path dir, List<String> notes) throws IOException {
        TreeMap<Integer, Path> all = new TreeMap<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = GRID.matcher(f.getFileName().toString());
                if (m.matches() && m.group(1).length() <= 9) {    // an epoch number an int holds
                    all.put(Integer.parseInt(m.group(1)), f);
                }
            });
        }
        List<Integer> epochs = new ArrayList<>(all.keySet());
        SortedMap<Integer, byte[]> out = new TreeMap<>();
        int n = Math.min(MAX_GRIDS, epochs.size());
        for (int i = 0; i < n; i++) {
            int e = epochs.get(n == 1 ? epochs.size() - 1 : (int) Math.round((double) i * (epochs.size() - 1) / (n - 1)));
            byte[] png = Files.readAllBytes(all.get(e));
            if (png.length < 24 || png[1] != 'P' || png[2] != 'N' || png[3] != 'G' || png[12] != 'I' || png[13] != 'H'
                    || png[14] != 'D' || png[15] != 'R') {
                throw new InvalidInputException(all.get(e), "is not a PNG");
            }
            out.put(e, png);
        }
        if (epochs.isEmpty()) {
            notes.add("no samples-NNN.png in the run's folder");
        } else if (epochs.size() > n) {
            notes.add(n + " of the run's " + epochs.size() + " sample grids, evenly spread over the epochs");
        }
        return out;
    }
}
