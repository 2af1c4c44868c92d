package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.gan.EpochStats;
import dev.ganeval.metrics.ParzenResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.csv} of a training run: one row per epoch with the figures of its train.log line at full
 * precision, the Parzen figure where {@code --parzen-every} measured one and FID and IS where {@code --fid-every} did,
 * for plotting learning curves
 * without parsing the log. {@code epoch} counts from 0 as in train.log, samples-NNN.png and checkpoint-NNN.ckpt.
 */
final class TrainingCurve {
    static final String HEADER = "epoch,d_loss,g_loss,d_real,d_fake,learning_rate,momentum,seconds,parzen,parzen_se,"
            + "parzen_sigma,fid,is,is_std";
    /** The header before FID and IS were added: such a file is continued with those fields empty on its rows. */
    static final String HEADER_WITHOUT_FID = HEADER.substring(0, HEADER.indexOf(",fid"));

    private final Path file;

    private TrainingCurve(Path file) {
        this.file = file;
    }

    /**
     * The curve of a run that continues after {@code epochsDone} epochs: rows of later epochs (left by a run
     * resumed from an older checkpoint) are dropped, so every epoch appears once.
     *
     * @throws InvalidInputException if the file exists with another header
     */
    static TrainingCurve open(Path file, int epochsDone) throws IOException {
        List<String> keep = new ArrayList<>();
        keep.add(HEADER);
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            boolean older = !lines.isEmpty() && lines.get(0).equals(HEADER_WITHOUT_FID);
            if (lines.isEmpty() || !(lines.get(0).equals(HEADER) || older)) {
                throw new InvalidInputException(file, "is not a ganeval training curve (its first line is not \""
                        + HEADER + "\"); move it away to start a new one");
            }
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i);
                int comma = line.indexOf(',');
                int epoch;
                try {
                    epoch = Integer.parseInt(line.substring(0, Math.max(comma, 0)));
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(file, "line " + (i + 1) + " does not start with an epoch number: \""
                            + line + "\"; fix or move the file away");
                }
                if (epoch < epochsDone) {
                    keep.add(older ? line + ",,," : line);
                }
            }
        }
        dev.ganeval.core.data.AtomicFiles.write(file, (String.join(System.lineSeparator(), keep)
                + (keep.isEmpty() ? "" : System.lineSeparator())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new TrainingCurve(file);
    }

    /** A curve as read back: its columns, and a row of values per epoch (NaN where a field is empty). */
    record Table(List<String> columns, List<double[]> rows) {
        /** The values of {@code column}, one per row; null when there is no such column. */
        double[] column(String column) {
            int c = columns.indexOf(column);
            if (c < 0) {
                return null;
            }
            double[] out = new double[rows.size()];
            for (int r = 0; r < out.length; r++) {
                out[r] = rows.get(r)[c];
            }
            return out;
        }
    }

    /**
     * Reads a curve back. Columns are taken from its header, so a file with more (or other) figures than this version
     * writes is read as well, as long as it starts with {@code epoch}.
     *
     * @throws InvalidInputException naming the file and the line that is not a curve's
     */
    static Table read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).startsWith("epoch,")) {
            throw new InvalidInputException(file, "is not a ganeval training curve (its first line does not start with \"epoch,\")");
        }
        List<String> columns = List.of(lines.get(0).split(","));
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            if (f.length != columns.size()) {
                throw new InvalidInputException(file, "line " + (i + 1) + " has " + f.length + " fields, not the header's "
                        + columns.size());
            }
            double[] row = new double[f.length];
            for (int c = 0; c < f.length; c++) {
                try {
                    row[c] = f[c].isEmpty() ? Double.NaN : Double.parseDouble(f[c]);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(file, "line " + (i + 1) + ": " + columns.get(c) + " is not a number: \""
                            + f[c] + "\"");
                }
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    /** Appends one epoch; {@code parzen} and {@code quality} are null when none was measured after it. */
    void append(EpochStats s, ParzenResult parzen, EpochQuality.Figures quality) throws IOException {
        String row = s.epoch() + "," + s.discriminatorLoss() + "," + s.generatorLoss() + "," + s.meanDReal() + ","
                + s.meanDFake() + "," + s.learningRate() + "," + s.momentum() + "," + s.seconds() + ","
                + (parzen == null ? ",," : parzen.value() + "," + parzen.standardError() + "," + parzen.sigma()) + ","
                + (quality == null ? ",," : quality.fid().value() + "," + quality.is().value() + "," + quality.is().std());
        Files.writeString(file, row + System.lineSeparator(), StandardOpenOption.APPEND);
    }
}
