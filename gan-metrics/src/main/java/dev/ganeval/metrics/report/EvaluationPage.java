package dev.ganeval.metrics.report;

import dev.ganeval.core.gan.SampleGrid;
import dev.ganeval.metrics.SampleNeighbours;
import dev.ganeval.metrics.evaluation.ClassHistogram;
import dev.ganeval.metrics.evaluation.EvaluationReport;
import dev.ganeval.metrics.evaluation.Json;
import dev.ganeval.metrics.evaluation.ReportedScore;
import dev.ganeval.metrics.evaluation.SampleDetails;
import dev.ganeval.metrics.evaluation.SampleImages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One evaluation as one self-contained HTML page: the score table with each value's uncertainty, network tag,
 * protocol, settings and seeds (the numbers written exactly as the JSON writes them), the inputs with their sample
 * counts and hashes, and, from the report's {@link SampleDetails}: real and generated grids side by side, a seeded
 * subset of generated samples beside their nearest real samples with the memorisation share, the class histogram of
 * both sides, and the generated samples outside every real k-NN ball.
 */
public final class EvaluationPage {
    /**
     * What the page shows of the samples.
     *
     * @param seed       the seed of the generated samples shown beside their nearest real ones
     * @param neighbours how many such pairs
     * @param grid       how many samples each side's grid shows (the first ones)
     * @param outside    how many of the samples outside every real ball are shown (the first ones)
     */
    public record Options(long seed, int neighbours, int grid, int outside) {
        public Options {
            if (neighbours < 1 || grid < 1 || outside < 1) {
                throw new IllegalArgumentException("counts of samples to show must be positive");
            }
        }

        /** 16 pairs, grids of 64, 64 samples outside the balls. */
        public static Options defaults(long seed) {
            return new Options(seed, 16, 64, 64);
        }
    }

    private EvaluationPage() {}

    /** The page of {@code report}; without sample details, the tables alone and a line saying why. */
    public static String html(EvaluationReport report, Options options) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(options, "options");
        StringBuilder b = new StringBuilder();
        b.append("<h1>ganeval evaluation</h1>\n<p class=\"note\">ganeval <span id=\"tool-version\">")
                .append(Html.esc(report.toolVersion())).append("</span>, network <b>").append(Html.esc(report.network()))
                .append("</b>").append(report.protocol() == null ? "" : ", protocol " + Html.esc(report.protocol()))
                .append(report.device() == null ? "" : ", on " + Html.esc(report.device()))
                .append(String.format(java.util.Locale.ROOT, ", %.1f s.</p>%n", report.seconds()));
        scores(b, report);
        inputs(b, report);
        if (!report.warnings().isEmpty()) {
            b.append("<h2>Warnings</h2>\n<ul>\n");
            report.warnings().forEach(w -> b.append("<li>").append(Html.esc(w)).append("</li>\n"));
            b.append("</ul>\n");
        }
        SampleDetails d = report.sampleDetails();
        if (d == null) {
            b.append("<p class=\"missing\">No sample details: the evaluation was run without keeping them.</p>\n");
        } else {
            Charts charts = new Charts();
            grids(b, d, options);
            neighbours(b, d, options, charts);
            classes(b, d, charts);
            outside(b, d, report, options);
            if (!d.missing().isEmpty()) {
                b.append("<h2>Not shown</h2>\n<ul class=\"missing\">\n");
                d.missing().forEach(m -> b.append("<li>").append(Html.esc(m)).append("</li>\n"));
                b.append("</ul>\n");
            }
        }
        return Html.page("ganeval evaluation", b.toString());
    }

    /** Numbers the way {@link Json} writes them, so the page and the JSON show the same figure; null as a dash. */
    static String jsonNumber(double v) {
        return Double.isFinite(v) ? Json.write(v) : "–";
    }

    private static void scores(StringBuilder b, EvaluationReport r) {
        b.append("<h2>Scores</h2>\n<table id=\"scores\">\n<tr><th>metric</th><th>value</th><th>±</th><th>details</th>"
                + "<th>network tag</th><th>protocol</th><th>settings and seeds</th><th>s</th></tr>\n");
        for (ReportedScore s : r.scores()) {
            b.append("<tr data-metric=\"").append(Html.esc(s.name())).append("\"><td>").append(Html.esc(s.label()))
                    .append("</td><td class=\"num\" data-key=\"value\">").append(jsonNumber(s.value()))
                    .append("</td><td class=\"num\" data-key=\"uncertainty\">").append(jsonNumber(s.uncertainty()))
                    .append("</td><td>");
            keyValues(b, s.details());
            b.append("</td><td class=\"mono\">").append(Html.esc(s.provenance().tag() == null ? "–" : s.provenance().tag()))
                    .append("</td><td>").append(Html.esc(s.provenance().protocol())).append("</td><td>");
            keyValues(b, s.provenance().settings());
            b.append("</td><td class=\"num\">").append(Html.num(s.seconds())).append("</td></tr>\n");
            for (String w : s.warnings()) {
                b.append("<tr><td></td><td colspan=\"7\" class=\"missing\">").append(Html.esc(w)).append("</td></tr>\n");
            }
        }
        b.append("</table>\n");
    }

    /** Each entry as {@code key = value}, the value as the JSON writes it. */
    private static void keyValues(StringBuilder b, Map<String, Object> m) {
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            // A table of records (wgan's training curve) is the JSON's to hold; the cell says how long it is.
            String v = e.getValue() instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map
                    ? l.size() + " rows (in the JSON)" : Json.write(e.getValue()).replaceAll("\\s+", " ");
            b.append(first ? "" : "<br>").append(Html.esc(e.getKey())).append(" = <span class=\"mono\" data-key=\"")
                    .append(Html.esc(e.getKey())).append("\">").append(Html.esc(v)).append("</span>");
            first = false;
        }
    }

    private static void inputs(StringBuilder b, EvaluationReport r) {
        b.append("<h2>Inputs</h2>\n<table id=\"inputs\">\n<tr><th>side</th><th>source</th><th>kind</th><th>samples</th>"
                + "<th>SHA-256</th></tr>\n");
        for (EvaluationReport.Input in : r.inputs()) {
            b.append("<tr data-side=\"").append(Html.esc(in.side())).append("\"><td>").append(Html.esc(in.side()))
                    .append("</td><td class=\"mono\">").append(Html.esc(in.source())).append("</td><td>").append(Html.esc(in.kind()))
                    .append("</td><td class=\"num\" data-key=\"samples\">").append(in.samples() < 0 ? "–" : Long.toString(in.samples()))
                    .append("</td><td class=\"mono\" title=\"").append(Html.esc(in.hashOf())).append("\">")
                    .append(Html.esc(in.sha256())).append("<br>of ").append(Html.esc(in.hashOf())).append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"note\">Features: <span class=\"mono\">").append(Html.esc(String.valueOf(r.featureTag())))
                .append("</span>; logits: <span class=\"mono\">").append(Html.esc(String.valueOf(r.logitsTag()))).append("</span></p>\n");
    }

    private static void grids(StringBuilder b, SampleDetails d, Options o) {
        if (d.realImages() == null && d.fakeImages() == null) {
            return;
        }
        b.append("<h2>Samples</h2>\n<div class=\"row\">\n");
        for (SampleImages im : new SampleImages[] {d.realImages(), d.fakeImages()}) {
            if (im == null) {
                continue;
            }
            boolean real = im == d.realImages();
            int n = Math.min(o.grid(), im.rows());
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            gridFigure(b, im, idx, (real ? "real" : "generated") + " samples", (real ? "real" : "generated")
                    + ": the first " + n + " of " + im.rows());
        }
        b.append("</div>\n");
    }

    /** Small pictures are shown larger (MNIST's 28 pixels at 2×). */
    private static int scale(SampleImages im) {
        return Math.max(1, 56 / Math.max(im.height(), im.width()));
    }

    private static void neighbours(StringBuilder b, SampleDetails d, Options o, Charts charts) {
        SampleNeighbours nb = d.neighbours();
        if (nb == null) {
            return;
        }
        b.append("<h2>Nearest real neighbours</h2>\n");
        double share = nb.memorisationShare();
        int closer = (int) Math.round(share * nb.fakeRows());
        b.append("<p class=\"note\"><b>Memorisation share: <span id=\"memorisation-share\">").append(Html.percent(share))
                .append("</span></b> (").append(closer).append(" of ").append(nb.fakeRows()).append(" generated samples) are closer "
                + "to their nearest real sample, in feature space, than that real sample is to any other real sample. "
                + "<i>What it measures:</i> generated samples that sit unusually close to one real sample, as copies and "
                + "near-copies of the real set do (a copy is at distance 0). <i>What it does not:</i> it is not zero for a "
                + "perfect generator (samples drawn independently from the real distribution land this close by chance, at a "
                + "rate that depends on the set sizes; compare with held-out real data), it sees only the real set given here "
                + "(memorised training images count only if the training set is the real side), and it measures closeness "
                + "in the network's feature space, not in pixels. The search is exact (every pair's distance).</p>\n");
        // The distances of both kinds, as shares per bin.
        float[] fake = nb.distance();
        float[] real = nb.realNeighbourDistance();
        double hi = 0;
        for (float v : fake) {
            hi = Math.max(hi, v);
        }
        for (float v : real) {
            hi = Math.max(hi, v);
        }
        int bins = 30;
        double width = hi > 0 ? hi / bins : 1;
        String[] labels = new String[bins];
        for (int k = 0; k < bins; k++) {
            labels[k] = Html.num(k * width);
        }
        b.append(SvgChart.bars(charts.next(), "Nearest-neighbour distances", "distance in feature space (bin start)", "share",
                labels, List.of(new SvgChart.Series("generated → nearest real", histogram(fake, width, bins), null),
                        new SvgChart.Series("real → nearest other real", histogram(real, width, bins), null))));
        int n = Math.min(o.neighbours(), nb.fakeRows());
        int[] chosen = subset(nb.fakeRows(), n, o.seed());
        int[] nearest = nb.nearestReal();
        b.append("<p class=\"note\">").append(n).append(" generated samples drawn with seed ").append(o.seed())
                .append(", each beside its nearest real sample; d is their distance, r the real sample's distance to its own "
                        + "nearest real neighbour (a red frame: d &lt; r).</p>\n<div class=\"pairs\" id=\"neighbours\">\n");
        for (int j : chosen) {
            int i = nearest[j];
            b.append("<figure class=\"pair").append(nb.closerThanRealNeighbour(j) ? " close" : "").append("\">");
            if (d.fakeImages() != null) {
                b.append(picture(d.fakeImages(), j, "generated #" + j));
            }
            if (d.realImages() != null) {
                b.append(picture(d.realImages(), i, "real #" + i));
            }
            b.append("<figcaption>gen #").append(j).append(" → real #").append(i).append("<br>d = ").append(Html.num(fake[j]))
                    .append(", r = ").append(Html.num(real[i])).append("</figcaption></figure>\n");
        }
        b.append("</div>\n");
    }

    private static String picture(SampleImages im, int row, String alt) {
        byte[] png = SampleGrid.png(im.rows(row), 1, im.channels(), im.height(), im.width());
        return Html.img(png, alt, im.width() + 2, im.height() + 2, scale(im), "px");
    }

    private static double[] histogram(float[] v, double width, int bins) {
        double[] h = new double[bins];
        for (float x : v) {
            h[Math.min(bins - 1, (int) (x / width))] += 1.0 / v.length;
        }
        return h;
    }

    /** {@code n} distinct indices of {@code [0, size)}, drawn with {@code seed} (a partial Fisher–Yates shuffle). */
    static int[] subset(int size, int n, long seed) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) {
            all[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rnd.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }

    private static void classes(StringBuilder b, SampleDetails d, Charts charts) {
        ClassHistogram h = d.classes();
        if (h == null) {
            return;
        }
        long[] fake = h.fake();
        long[] real = h.real();
        int k = h.classes();
        // Many classes (Inception's 1008): the 50 most frequent among both sides, in class order.
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        int shown = Math.min(k, 50);
        if (k > shown) {
            java.util.Arrays.sort(order, (a, c) -> Long.compare(total(real, fake, c), total(real, fake, a)));
            java.util.Arrays.sort(order, 0, shown);
        }
        double nf = java.util.Arrays.stream(fake).sum();
        double nr = real == null ? 0 : java.util.Arrays.stream(real).sum();
        String[] labels = new String[shown];
        double[] fs = new double[shown];
        double[] rs = new double[shown];
        for (int s = 0; s < shown; s++) {
            int c = order[s];
            labels[s] = Integer.toString(c);
            fs[s] = fake[c] / nf;
            rs[s] = real == null ? Double.NaN : real[c] / nr;
        }
        List<SvgChart.Series> series = new ArrayList<>();
        if (real != null) {
            series.add(new SvgChart.Series("real", rs, null));
        }
        series.add(new SvgChart.Series("generated", fs, null));
        b.append("<h2>Classes</h2>\n<p class=\"note\">The network's classifier's arg-max class of each sample, as a share of "
                + "its side").append(k > shown ? "; the " + shown + " most frequent of " + k + " classes" : "")
                .append(". A class with real samples and few or no generated ones is a mode the generator dropped.</p>\n");
        b.append(SvgChart.bars(charts.next(), "Class histogram", "class", "share of samples", labels, series));
        if (real != null) {
            List<String> dropped = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (real[c] > 0 && fake[c] / nf < 0.25 * real[c] / nr) {
                    dropped.add(c + " (" + Html.percent(fake[c] / nf) + " generated, " + Html.percent(real[c] / nr) + " real)");
                }
            }
            b.append("<p class=\"note\" id=\"dropped\">").append(dropped.isEmpty()
                    ? "No class has less than a quarter of its real share among the generated samples."
                    : "Less than a quarter of the real share among the generated samples: " + Html.esc(String.join(", ", dropped)))
                    .append("</p>\n");
        }
    }

    private static long total(long[] real, long[] fake, int c) {
        return fake[c] + (real == null ? 0 : real[c]);
    }

    private static void outside(StringBuilder b, SampleDetails d, EvaluationReport r, Options o) {
        SampleNeighbours nb = d.neighbours();
        if (nb == null) {
            return;
        }
        int out = nb.outsideCount();
        b.append("<h2>Outside every real ball</h2>\n<p class=\"note\"><span id=\"outside-count\">").append(out).append("</span> of ")
                .append(nb.fakeRows()).append(" generated samples (").append(Html.percent((double) out / nb.fakeRows()))
                .append(") lie outside every real sample's ball (radius: the distance to its k-th nearest real neighbour, k = ")
                .append(nb.k()).append("); these are what precision counts against (precision = 1 − this share")
                .append(r.scores().stream().anyMatch(s -> s.name().equals("prdc")) ? ", with the prdc row's k" : "").append(").</p>\n");
        if (out == 0 || d.fakeImages() == null) {
            return;
        }
        boolean[] in = nb.insideRealBall();
        int n = Math.min(o.outside(), out);
        int[] idx = new int[n];
        for (int j = 0, c = 0; j < in.length && c < n; j++) {
            if (!in[j]) {
                idx[c++] = j;
            }
        }
        gridFigure(b, d.fakeImages(), idx, "generated samples outside every real ball", "the first " + n + " of them");
    }

    /** The pictures of rows {@code idx} as a square-ish grid in a figure with its caption. */
    private static void gridFigure(StringBuilder b, SampleImages im, int[] idx, String alt, String caption) {
        int cols = (int) Math.ceil(Math.sqrt(idx.length));
        int rows = (idx.length + cols - 1) / cols;
        byte[] png = SampleGrid.png(im.rows(idx), cols, im.channels(), im.height(), im.width());
        b.append("<figure>").append(Html.img(png, alt, cols * (im.width() + 1) + 1, rows * (im.height() + 1) + 1, scale(im),
                "px grid")).append("<figcaption>").append(Html.esc(caption)).append("</figcaption></figure>\n");
    }

    /** Numbers the charts of one page in order, for their frame colours. */
    static final class Charts {
        private int next;

        int next() {
            return next++;
        }
    }
}
