package dev.ganeval.cli;

import dev.ganeval.metrics.ParzenWindow;
import picocli.CommandLine.Option;

import java.util.Arrays;

/**
 * The Parzen window's σ: the paper's grid by default, {@code --sigma-grid FROM,TO,N} or a fixed {@code --sigma S}
 * (parzen_ll.py's {@code --sigma_start/--sigma_end/--cross_val} and {@code --sigma}).
 */
final class SigmaOptions {
    /** Each σ costs one pass of exponentials over validation rows × samples; a thousand is already a fine grid. */
    private static final int MAX_GRID = 1000;

    @Option(names = "--sigma-grid", paramLabel = "FROM,TO,N",
            description = "Choose the Parzen σ from N values spaced evenly in log from FROM to TO (default: the paper's "
                    + "0.1,1,10). A finer grid finds a better σ than the paper's coarse one; the result is then not the paper's protocol.")
    String grid;

    @Option(names = "--sigma", paramLabel = "S", description = "Or a fixed Parzen σ: no validation rows are used to choose it.")
    Double fixed;

    /** The σ values the options ask for; one value when σ is fixed. */
    double[] sigmas() {
        if (fixed != null && grid != null) {
            throw new IllegalArgumentException("give --sigma or --sigma-grid, not both");
        }
        if (fixed != null) {
            if (!(fixed > 0) || fixed.isInfinite()) {
                throw new IllegalArgumentException("--sigma must be positive, got " + fixed);
            }
            return new double[] {fixed};
        }
        if (grid == null) {
            return ParzenWindow.defaultSigmas();
        }
        String[] parts = grid.split(",");
        String usage = "--sigma-grid takes FROM,TO,N with 0 < FROM < TO and 2 <= N <= " + MAX_GRID + " (the paper's: 0.1,1,10), got "
                + grid;
        if (parts.length != 3) {
            throw new IllegalArgumentException(usage);
        }
        try {
            double from = Double.parseDouble(parts[0].strip());
            double to = Double.parseDouble(parts[1].strip());
            int n = Integer.parseInt(parts[2].strip());
            if (!(from > 0) || !(to > from) || Double.isInfinite(to) || n < 2 || n > MAX_GRID) {
                throw new IllegalArgumentException(usage);
            }
            return ParzenWindow.logGrid(from, to, n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
    }

}
