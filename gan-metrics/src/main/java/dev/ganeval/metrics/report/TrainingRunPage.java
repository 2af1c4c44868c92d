package dev.ganeval.metrics.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A training run as one self-contained HTML page: curves against the epoch (the quality figures a run measured, its
 * losses, its discriminator's outputs) as inline SVG, and the run's sample grids over the epochs, inline.
 */
public final class TrainingRunPage {
    private TrainingRunPage() {}

    /** One curve: a value per epoch (NaN where none was measured) and optional error half-widths. */
    public record Line(String name, double[] values, double[] errors) {
        public Line {
            Objects.requireNonNull(name, "name");
            values = values.clone();
            errors = errors == null ? null : errors.clone();
        }
    }

    /** One chart of curves against the epoch. */
    public record Chart(String title, String yLabel, List<Line> lines) {
        public Chart {
            lines = List.copyOf(lines);
        }

        /** Whether any curve has a value. */
        public boolean hasValues() {
            for (Line l : lines) {
                for (double v : l.values()) {
                    if (Double.isFinite(v)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * What the page shows.
     *
     * @param title  the run, e.g. its folder
     * @param epochs the epochs the curves' values belong to
     * @param charts the charts, in order; one without values is named in a note instead
     * @param grids  PNG sample grids by epoch
     * @param notes  lines for the reader (what the run did not measure)
     */
    public record Run(String title, double[] epochs, List<Chart> charts, SortedMap<Integer, byte[]> grids, List<String> notes) {
        public Run {
            epochs = epochs.clone();
            charts = List.copyOf(charts);
            grids = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(grids));
            notes = List.copyOf(notes);
        }
    }

    /** The page of {@code run}. */
    public static String html(Run run) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>ganeval training run</h1>\n<p class=\"note\">").append(Html.esc(run.title())).append(": ")
                .append(run.epochs().length).append(run.epochs().length == 1 ? " epoch" : " epochs").append(" in metrics.csv.</p>\n");
        b.append("<h2>Curves</h2>\n<div class=\"row\">\n");
        List<String> notes = new ArrayList<>(run.notes());
        int index = 0;
        for (Chart c : run.charts()) {
            if (!c.hasValues()) {
                notes.add(c.title() + ": no value in metrics.csv");
                continue;
            }
            List<SvgChart.Series> series = new ArrayList<>();
            for (Line l : c.lines()) {
                series.add(new SvgChart.Series(l.name(), l.values(), l.errors()));
            }
            b.append(SvgChart.line(index++, c.title(), "epoch", c.yLabel(), run.epochs(), series));
        }
        b.append("</div>\n");
        if (!notes.isEmpty()) {
            b.append("<ul class=\"missing\" id=\"notes\">\n");
            notes.forEach(n -> b.append("<li>").append(Html.esc(n)).append("</li>\n"));
            b.append("</ul>\n");
        }
        if (!run.grids().isEmpty()) {
            b.append("<h2>Samples over the epochs</h2>\n<div class=\"row\" id=\"grids\">\n");
            for (Map.Entry<Integer, byte[]> g : run.grids().entrySet()) {
                java.awt.Dimension size = size(g.getValue());
                b.append("<figure>").append(Html.img(g.getValue(), "samples after epoch " + g.getKey(), size.width, size.height, 1, "px"))
                        .append("<figcaption>epoch ").append(g.getKey()).append("</figcaption></figure>\n");
            }
            b.append("</div>\n");
        }
        return Html.page("ganeval training run: " + run.title(), b.toString());
    }

    /** A PNG's width and height, from its header. */
    private static java.awt.Dimension size(byte[] png) {
        if (png.length < 24 || png[12] != 'I' || png[13] != 'H' || png[14] != 'D' || png[15] != 'R') {
            throw new IllegalArgumentException("not a PNG");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(png);
        return new java.awt.Dimension(b.getInt(16), b.getInt(20));
    }
}
