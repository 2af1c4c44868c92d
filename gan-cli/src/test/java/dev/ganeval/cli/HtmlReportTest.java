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
