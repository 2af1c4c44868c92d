package dev.ganeval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code score --html}: the page as a real browser shows it, against the JSON of the same run. */
class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void thePageOpensOfflineInChromiumWithEveryChartDrawnAndTheJsonsNumbers() throws Exception {
        Path page = tmp.resolve("report.html");
        GanEvalTest.Run r = GanEvalTest.run("score", "mnist:test", "mnist:train", "--limit", "1000", "--metrics", "fid,kid,is,prdc",
                "--json", "--html", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("ganeval: wrote " + page.toAbsolutePath()), r.err());
        String html = Files.readString(page);
        HeadlessChromium.assertSelfContained(html);

        HeadlessChromium.Load load = HeadlessChromium.load(page, 1280, 5200, Files.createDirectories(tmp.resolve("chromium")));
        assertEquals(List.of(), load.console(), "console messages");
        assertEquals(List.of(), load.pageRequests(), "requests the page made");
        List<String> charts = HeadlessChromium.assertChartsDrawn(load, 20);
        assertEquals(List.of("Nearest-neighbour distances", "Class histogram"), charts);

        // The score table, as the browser built it, holds the JSON's numbers.
        JsonNode json = new ObjectMapper().readTree(r.out());
        String dom = load.dom();
        Set<String> metrics = new HashSet<>();
        for (JsonNode res : json.get("results")) {
            String metric = res.get("metric").asText();
            metrics.add(metric);
            String row = row(dom, metric);
            assertEquals(res.get("value").asDouble(), Double.parseDouble(cell(row, "value")), 0, metric);
            String u = cell(row, "uncertainty");
            if (res.get("uncertainty").isNull()) {
                assertEquals("–", u, metric);
            } else {
                assertEquals(res.get("uncertainty").asDouble(), Double.parseDouble(u), 0, metric);
            }
            res.get("details").fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    assertEquals(e.getValue().asDouble(), Double.parseDouble(cell(row, e.getKey())), 0, metric + " " + e.getKey());
                }
            });
            res.get("settings").fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    assertEquals(e.getValue().asText(), cell(row, e.getKey()), metric + " " + e.getKey());
                }
            });
            assertTrue(row.contains(res.get("provenance").get("tag").asText()), metric + ": network tag");
        }
        assertEquals(Set.of("fid", "kid", "is", "prdc"), metrics);
        assertEquals(Set.copyOf(metrics), Set.copyOf(allRows(dom)), "the table has one row per JSON result");
        for (JsonNode in : json.get("inputs")) {
            Matcher m = Pattern.compile("<tr data-side=\"" + in.get("side").asText() + "\">.*?data-key=\"samples\">(\\d+)<")
                    .matcher(dom);
            assertTrue(m.find(), in.toString());
            assertEquals(in.get("samples").asLong(), Long.parseLong(m.group(1)));
            assertTrue(dom.contains(in.get("sha256").asText()));
        }
        assertTrue(dom.contains("<span id=\"tool-version\">" + json.get("tool_version").asText() + "</span>"));
        // The samples outside every real ball are exactly what precision counts against.
        Matcher outside = Pattern.compile("<span id=\"outside-count\">(\\d+)</span>").matcher(dom);
        assertTrue(outside.find());
        double precision = json.get("results").get(3).get("value").asDouble();
        assertEquals(Math.round((1 - precision) * 1000), Long.parseLong(outside.group(1)));
        assertTrue(dom.contains("id=\"memorisation-share\""));
        assertEquals(16, count(dom, "<figure class=\"pair"), "sixteen neighbour pairs");
    }

    @Test
    void anUnwritablePageIsRefusedInOneLineBeforeAnySampleIsRead() {
        Path nowhere = tmp.resolve("no-such-folder").resolve("r.html");
        GanEvalTest.Run r = GanEvalTest.run("score", "mnist:test", "mnist:train", "--limit", "100", "--html", nowhere.toString());
        assertEquals(2, r.code());
        assertEquals("ganeval: " + nowhere + ": cannot be written: the folder " + nowhere.getParent() + " does not exist; "
                + "create it or choose another path", r.err().strip());
        GanEvalTest.Run folder = GanEvalTest.run("score", "mnist:test", "mnist:train", "--limit", "100", "--html", tmp.toString());
        assertEquals(2, folder.code());
        assertTrue(folder.err().strip().endsWith("cannot be written: a folder of that name is in the way"), folder.err());
        assertEquals(1, folder.err().strip().lines().count());
        GanEvalTest.Run spark = GanEvalTest.run("score", "mnist:test", "mnist:train", "--spark", "local[1]", "--html",
                tmp.resolve("r.html").toString());
        assertEquals(2, spark.code());
        assertTrue(spark.err().startsWith("ganeval: --html shows the samples themselves, which --spark leaves on the cluster"),
                spark.err());
    }

    @Test
    void aTrainingRunsPageOpensOfflineWithItsCurvesAndGrids() throws Exception {
        Path run = tmp.resolve("run");
        GanEvalTest.Run train = GanEvalTest.run("train", "--out", run.toString(), "--epochs", "3", "--train-rows", "200", "--quiet");
        assertEquals(0, train.code(), train.err());
        GanEvalTest.Run r = GanEvalTest.run("report", run.toString());
        assertEquals(0, r.code(), r.err());
        Path page = run.resolve("report.html");
        assertEquals(page.toString(), r.out().strip());
        HeadlessChromium.assertSelfContained(Files.readString(page));
        HeadlessChromium.Load load = HeadlessChromium.load(page, 1280, 1600, Files.createDirectories(tmp.resolve("chromium-run")));
        assertEquals(List.of(), load.console(), "console messages");
        assertEquals(List.of(), load.pageRequests(), "requests the page made");
        assertEquals(List.of("Losses", "Discriminator outputs"), HeadlessChromium.assertChartsDrawn(load, 20));
        for (int e = 0; e < 3; e++) {
            assertTrue(load.dom().contains("<figcaption>epoch " + e + "</figcaption>"), "the grid of epoch " + e);
        }
        // No Parzen in this run: said, not drawn empty.
        assertTrue(load.dom().contains("Parzen is measured only by 'ganeval train --parzen-every N'"));
        // Each epoch of metrics.csv is a point of each curve.
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        String losses = load.dom().substring(load.dom().indexOf("aria-label=\"Losses\""));
        losses = losses.substring(0, losses.indexOf("</svg>"));
        assertEquals(2 * (lines.size() - 1), count(losses, "class=\"mark\""));
        assertTrue(losses.contains("d_loss at 2: " + String.format(java.util.Locale.ROOT, "%.4g",
                Double.parseDouble(lines.get(3).split(",")[1]))), losses);
    }

    @Test
    void aRunsParzenFiguresAreChartedWithTheirErrorBars() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("parzen-run"));
        // A curve written before FID and IS had columns: read by its own header.
        Files.writeString(run.resolve("metrics.csv"), TrainingCurve.HEADER_WITHOUT_FID + "\n"
                + "0,0.69,0.70,0.5,0.5,0.1,0.5,1.0,,,\n"
                + "1,0.68,0.71,0.55,0.45,0.1,0.5,1.0,120.5,2.5,0.2\n"
                + "2,0.67,0.72,0.56,0.44,0.1,0.5,1.0,,,\n"
                + "3,0.66,0.73,0.57,0.43,0.1,0.5,1.0,180.25,2.0,0.2\n");
        GanEvalTest.Run r = GanEvalTest.run("report", run.toString(), "--out", tmp.resolve("p.html").toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(tmp.resolve("p.html"));
        String parzen = html.substring(html.indexOf("aria-label=\"Parzen log-likelihood (MNIST test)\""));
        parzen = parzen.substring(0, parzen.indexOf("</svg>"));
        assertEquals(2, count(parzen, "class=\"mark\""), "a point at each measured epoch");
        assertEquals(2, count(parzen, "<line x1") - count(parzen, "stroke=\"#e6e6e6\""), "an error bar at each");
        assertTrue(parzen.contains("parzen at 1: 120.5") && parzen.contains("parzen at 3: 180.3"), parzen);
        assertTrue(html.contains("no samples-NNN.png in the run&#39;s folder"), "a note that the run has no grids");
    }

    @Test
    void aFolderThatIsNotARunIsRefusedInOneLine() throws Exception {
        GanEvalTest.Run none = GanEvalTest.run("report", tmp.toString());
        assertEquals(2, none.code());
        assertEquals("ganeval: " + tmp + ": has no metrics.csv: it is not a folder 'ganeval train --out' wrote", none.err().strip());
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(bad.resolve("metrics.csv"), TrainingCurve.HEADER + "\n0,0.69,x,0.5,0.5,0.1,0.5,1.0,,,,,,\n");
        GanEvalTest.Run garbled = GanEvalTest.run("report", bad.toString());
        assertEquals(2, garbled.code());
        assertEquals("ganeval: " + bad.resolve("metrics.csv") + ": line 2: g_loss is not a number: \"x\"", garbled.err().strip());
        GanEvalTest.Run missing = GanEvalTest.run("report", tmp.resolve("nope").toString());
        assertEquals("ganeval: " + tmp.resolve("nope") + ": no such folder", missing.err().strip());
        GanEvalTest.Run out = GanEvalTest.run("report", bad.toString(), "--out", tmp.resolve("x").resolve("p.html").toString());
        assertEquals(2, out.code());
        assertTrue(out.err().contains("cannot be written: the folder") && out.err().strip().lines().count() == 1, out.err());
    }

    private static String row(String dom, String metric) {
        Matcher m = Pattern.compile("<tr data-metric=\"" + Pattern.quote(metric) + "\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "no table row for " + metric);
        return m.group(1);
    }

    private static List<String> allRows(String dom) {
        Matcher m = Pattern.compile("<tr data-metric=\"([^\"]+)\">").matcher(dom);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String cell(String row, String key) {
        Matcher m = Pattern.compile("data-key=\"" + Pattern.quote(key) + "\">([^<]*)<").matcher(row);
        assertTrue(m.find(), "no " + key + " in " + row);
        return m.group(1).strip();
    }

    private static int count(String s, String part) {
        return s.split(Pattern.quote(part), -1).length - 1;
    }
}
