package dev.ganeval.metrics.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Line and bar charts as inline SVG, written here rather than by a JVM charting library: a page needs two kinds of
 * chart, and a library that writes SVG (JFreeChart with JFreeSVG, XChart with its SVG back end) would add megabytes of
 * dependency and its own fonts and styles; a page's own SVG is a few hundred lines, needs no script, and draws with the
 * browser's fonts.
 *
 * <p>Each chart's plot area is framed in a colour of its own ({@link #frameColour}) with crisp edges, and every mark
 * (bar, point) is a crisp-edged rectangle in its series' colour, so a screenshot can find each chart and tell a drawn
 * chart from a blank one (the browser test does). The SVG names both in {@code data-frame} and {@code data-marks}.
 */
final class SvgChart {
    /** Series colours, colour-blind safe (Okabe–Ito). */
    static final String[] PALETTE = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9"};

    /** More ticks than an axis this size can label: a bound against a degenerate range. */

    static final int MAX_TICKS = 50;

    private static final int WIDTH = 560;
    private static final int HEIGHT = 316;
    private static final int LEFT = 70;
    private static final int RIGHT = 16;
    private static final int TOP = 50;
    private static final int BOTTOM = 56;

    /** One series: y (NaN where there is no value) and optional error half-widths. */
    record Series(String name, double[] y, double[] err) {
        Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(y, "y");
            if (err != null && err.length != y.length) {
                throw new IllegalArgumentException("one error per value");
            }
        }
    }

    private SvgChart() {}

    /** The frame colour of the {@code index}-th chart of a page: distinct from every other chart's and from the palette. */
    static String frameColour(int index) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", 0xb4, 0xa0 + index / 64, 0x40 + index % 64 * 3);
    }

    /** Lines with square points, {@code x} shared by the series. */
    static String line(int index, String title, String xLabel, String yLabel, double[] x, List<Series> series) {
        double[] xr = range(new double[][] {x}, null);
        double[][] ys = series.stream().map(Series::y).toArray(double[][]::new);
        double[][] errs = series.stream().map(Series::err).toArray(double[][]::new);
        double[] yr = range(ys, errs);
        Frame f = new Frame(index, title, xLabel, yLabel, xr, yr);
        StringBuilder sb = f.open(series);
        f.xTicks(sb);
        for (int s = 0; s < series.size(); s++) {
            String c = PALETTE[s % PALETTE.length];
            Series se = series.get(s);
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(se.y()[i])) {
                    continue;
                }
                path.append(path.length() == 0 ? "M" : " L").append(f.px(x[i])).append(',').append(f.py(se.y()[i]));
            }
            sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"1.5\"/>\n");
            for (int i = 0; i < x.length; i++) {
                double y = se.y()[i];
                if (!Double.isFinite(y)) {
                    continue;
                }
                if (se.err() != null && Double.isFinite(se.err()[i])) {
                    sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n",
                            f.px(x[i]), f.px(x[i]), f.py(y - se.err()[i]), f.py(y + se.err()[i]), c));
                }
                sb.append(String.format(Locale.ROOT, "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"5\" height=\"5\" fill=\"%s\" "
                        + "shape-rendering=\"crispEdges\"><title>%s</title></rect>%n", Math.round(f.px(x[i])) - 2,
                        Math.round(f.py(y)) - 2, c, Html.esc(se.name() + " at " + (x[i] == Math.rint(x[i]) && Math.abs(x[i]) < 1e9 ? Long.toString((long) x[i])
                        : Html.num(x[i])) + ": " + Html.num(y))));
            }
        }
        return f.close(sb);
    }

    /** Grouped bars: one group per category, one bar per series. */
    static String bars(int index, String title, String xLabel, String yLabel, String[] categories, List<Series> series) {
        double[][] ys = series.stream().map(Series::y).toArray(double[][]::new);
        double[] yr = range(ys, null);
        yr[0] = Math.min(0, yr[0]);
        Frame f = new Frame(index, title, xLabel, yLabel, new double[] {0, categories.length}, yr);
        StringBuilder sb = f.open(series);
        double group = (double) f.plotWidth / categories.length;
        double bar = Math.max(1, Math.floor(group * 0.8 / series.size()));
        int labelEvery = Math.max(1, (int) Math.ceil(categories.length / (f.plotWidth / 28.0)));
        for (int k = 0; k < categories.length; k++) {
            double left = LEFT + k * group + (group - bar * series.size()) / 2;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).y()[k];
                if (!Double.isFinite(v)) {
                    continue;
                }
                long top = Math.round(f.py(Math.max(v, 0)));
                long bottom = Math.round(f.py(Math.min(v, 0)));
                sb.append(String.format(Locale.ROOT, "<rect class=\"mark\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                        + "shape-rendering=\"crispEdges\"><title>%s</title></rect>%n", Math.round(left + s * bar), top,
                        (long) bar, Math.max(1, bottom - top), PALETTE[s % PALETTE.length],
                        Html.esc(categories[k] + ", " + series.get(s).name() + ": " + Html.num(v))));
            }
            if (k % labelEvery == 0) {
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                        LEFT + (k + 0.5) * group, TOP + f.plotHeight + 14, Html.esc(categories[k])));
            }
        }
        return f.close(sb);
    }

    /** The smallest and largest finite value (with error bars), padded; [0, 1] when there is none. */
    private static double[] range(double[][] ys, double[][] errs) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < ys.length; s++) {
            for (int i = 0; i < ys[s].length; i++) {
                double v = ys[s][i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double e = errs != null && errs[s] != null && Double.isFinite(errs[s][i]) ? errs[s][i] : 0;
                lo = Math.min(lo, v - e);
                hi = Math.max(hi, v + e);
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - pad, hi + pad};
        }
        // A change in the fifth significant digit is not drawn as a cliff: the axis spans at least 1e-4 of the values.
        double least = 1e-4 * Math.max(Math.abs(lo), Math.abs(hi));
        if (hi - lo < least) {
            double mid = (lo + hi) / 2;
            return new double[] {mid - least / 2, mid + least / 2};
        }
        return new double[] {lo, hi};
    }

    /** The axes, ticks, title and legend of one chart. */
    private static final class Frame {
        final int index;
        final String title;
        final String xLabel;
        final String yLabel;
        final double[] xr;
        final double[] yr;
        /** The y ticks' step: the range's ends are multiples of it, so every tick label is a round number. */
        final double yStep;
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;

        Frame(int index, String title, String xLabel, String yLabel, double[] xr, double[] yr) {
            this.index = index;
            this.title = title;
            this.xLabel = xLabel;
            this.yLabel = yLabel;
            this.xr = xr;
            this.yStep = niceStep(yr[1] - yr[0]);
            this.yr = new double[] {Math.floor(yr[0] / yStep) * yStep, Math.ceil(yr[1] / yStep) * yStep};
        }

        double px(double x) {
            return LEFT + (x - xr[0]) / (xr[1] - xr[0]) * plotWidth;
        }

        double py(double y) {
            return TOP + plotHeight - (y - yr[0]) / (yr[1] - yr[0]) * plotHeight;
        }

        StringBuilder open(List<Series> series) {
            StringBuilder marks = new StringBuilder();
            for (int s = 0; s < series.size(); s++) {
                marks.append(s == 0 ? "" : " ").append(PALETTE[s % PALETTE.length]);
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" width=\"%d\" height=\"%d\" "
                    + "viewBox=\"0 0 %d %d\" data-frame=\"%s\" data-marks=\"%s\" data-plot=\"%dx%d\" role=\"img\" aria-label=\"%s\">%n",
                    WIDTH, HEIGHT, WIDTH, HEIGHT, frameColour(index), marks, plotWidth + 1, plotHeight + 1, Html.esc(title)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT,
                    Html.esc(title)));
            double step = yStep;
            // Ticks counted, not summed: a step below the values' ulp would never move v.
            int yTicks = (int) Math.min(MAX_TICKS, Math.floor((yr[1] - yr[0]) / step + 0.5) + 1);
            for (int t = 0; t < yTicks; t++) {
                double v = yr[0] + t * step;
                double y = py(v);
                sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e6e6\"/>"
                        + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>%n", LEFT, LEFT + plotWidth, y, y,
                        LEFT - 4, y + 4, tick(Math.abs(v) < step * 1e-9 ? 0 : v, step)));
            }
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d.5\" y=\"%d.5\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"%s\" "
                    + "shape-rendering=\"crispEdges\"/>%n", LEFT, TOP, plotWidth, plotHeight, frameColour(index)));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
                    LEFT + plotWidth / 2, HEIGHT - 8, Html.esc(xLabel)));
            sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                    + "transform=\"rotate(-90 14 %d)\">%s</text>%n", TOP + plotHeight / 2, TOP + plotHeight / 2, Html.esc(yLabel)));
            // The legend on a line of its own under the title, left to right.
            int lx = LEFT;
            for (int s = 0; s < series.size(); s++) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"27\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                        + "<text x=\"%d\" y=\"36\" font-size=\"12\">%s</text>%n", lx, PALETTE[s % PALETTE.length], lx + 14,
                        Html.esc(series.get(s).name())));
                lx += 14 + 7 * series.get(s).name().length() + 16;
            }
            return sb;
        }

        void xTicks(StringBuilder sb) {
            double step = Math.max(niceStep(xr[1] - xr[0]), 1);
            double first = Math.ceil(xr[0] / step) * step;
            int xTicks = (int) Math.min(MAX_TICKS, Math.floor((xr[1] + 1e-9 - first) / step) + 1);
            for (int t = 0; t < xTicks; t++) {
                double v = first + t * step;
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                        px(v), TOP + plotHeight + 14, tick(v, step)));
            }
        }

        String close(StringBuilder sb) {
            return sb.append("</svg>\n").toString();
        }
    }

    /** A tick's label with as many decimals as its step needs (0.6931, 0.6932 rather than 0.6931 twice). */
    static String tick(double v, double step) {
        if (Math.abs(v) >= 1e6 || step < 1e-8) {
            return Html.num(v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A step of 1, 2 or 5 times a power of ten that cuts {@code span} into about five. */
    static double niceStep(double span) {
        if (!(span > 0) || !Double.isFinite(span)) {
            return 1;
        }
        double raw = span / 5;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }
}
