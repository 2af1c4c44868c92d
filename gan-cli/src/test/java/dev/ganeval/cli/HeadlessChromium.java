package dev.ganeval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's Chromium, headless, loading a page from disk once: the DOM it built, a screenshot, the console messages it
 * logged, and the requests the page made (from Chromium's own network log, where a request of the page's is one with an
 * origin, unlike the browser's own background requests).
 */
final class HeadlessChromium {
    /** What one load gave. */
    record Load(String dom, BufferedImage screenshot, List<String> console, List<String> pageRequests) {
    }

    private HeadlessChromium() {}

    static Load load(Path html, int width, int height, Path work) throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "command -v chromium").redirectErrorStream(true).start();
        String found = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (which.waitFor() != 0 || found.isEmpty()) {
            fail("chromium is not installed; the HTML report's browser test needs it: apt-get install chromium");
        }
        Path shot = work.resolve("screenshot.png");
        Path netLog = work.resolve("netlog.json");
        Path stderr = work.resolve("chromium.err");
        List<String> cmd = List.of(found, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--user-data-dir=" + work.resolve("profile"), "--enable-logging=stderr", "--v=0",
                "--log-net-log=" + netLog, "--window-size=" + width + "," + height, "--screenshot=" + shot, "--dump-dom",
                html.toUri().toString());
        // The DOM goes to a file, so that the time-out below bounds a browser that never closes its output.
        Path domFile = work.resolve("dom.html");
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).redirectOutput(domFile.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s");
        }
        String dom = Files.readString(domFile, StandardCharsets.UTF_8);
        String err = Files.readString(stderr);
        assertTrue(Files.exists(shot), "chromium wrote no screenshot (exit " + p.exitValue() + "): " + err);
        assertTrue(dom.contains("</html>"), "chromium dumped no DOM: " + err);
        List<String> console = err.lines().filter(l -> l.contains(":CONSOLE")).toList();
        return new Load(dom, ImageIO.read(shot.toFile()), console, pageRequests(netLog));
    }

    /** The URLs of the requests the page itself started, from Chromium's network log. */
    private static List<String> pageRequests(Path netLog) throws IOException {
        JsonNode log = new ObjectMapper().readTree(netLog.toFile());
        int startJob = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB").asInt(-1);
        assertTrue(startJob >= 0 && log.path("events").isArray(), "Chromium's network log has no events to check");
        List<String> urls = new ArrayList<>();
        for (JsonNode e : log.path("events")) {
            JsonNode params = e.path("params");
            // The browser's own requests (updates, time, accounts) carry no origin; a page's carry its origin.
            // A job's start names its URL (its end, only an error code).
            if (e.path("type").asInt() == startJob && params.has("url")
                    && !"not an origin".equals(params.path("initiator").asText())) {
                urls.add(params.path("url").asText());
            }
        }
        return urls;
    }

    private static final Pattern CHART = Pattern.compile("<svg class=\"chart\"[^>]*?data-frame=\"#([0-9a-f]{6})\" "
            + "data-marks=\"([^\"]*)\" data-plot=\"(\\d+)x(\\d+)\"[^>]*aria-label=\"([^\"]*)\"");

    /**
     * Each chart of the page in the screenshot: its frame (a colour of its own) found at its size, and inside it at least
     * {@code minMarks} pixels in its series' colours. Returns the charts' titles.
     */
    static List<String> assertChartsDrawn(Load load, int minMarks) {
        Matcher m = CHART.matcher(load.dom());
        List<String> titles = new ArrayList<>();
        BufferedImage img = load.screenshot();
        while (m.find()) {
            String title = m.group(5);
            int frame = Integer.parseInt(m.group(1), 16);
            Set<Integer> marks = new HashSet<>();
            for (String c : m.group(2).split(" ")) {
                marks.add(Integer.parseInt(c.substring(1), 16));
            }
            int w = Integer.parseInt(m.group(3));
            int h = Integer.parseInt(m.group(4));
            int x0 = Integer.MAX_VALUE;
            int y0 = Integer.MAX_VALUE;
            int x1 = -1;
            int y1 = -1;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    if ((img.getRGB(x, y) & 0xffffff) == frame) {
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
            }
            assertTrue(x1 >= 0, "chart '" + title + "' is not in the screenshot (no pixel of its frame colour #" + m.group(1) + ")");
            assertEquals(w, x1 - x0 + 1, "chart '" + title + "': frame width in the screenshot");
            assertEquals(h, y1 - y0 + 1, "chart '" + title + "': frame height in the screenshot");
            int drawn = 0;
            for (int y = y0 + 1; y < y1; y++) {
                for (int x = x0 + 1; x < x1; x++) {
                    if (marks.contains(img.getRGB(x, y) & 0xffffff)) {
                        drawn++;
                    }
                }
            }
            assertTrue(drawn >= minMarks, "chart '" + title + "' is blank: " + drawn + " pixels of its series' colours "
                    + m.group(2) + " inside its frame");
            titles.add(title);
        }
        return titles;
    }

    /** The page holds nothing that would be fetched: no script, no http(s) address, every picture a data: URI that decodes. */
    static void assertSelfContained(String html) throws IOException {
        String lower = html.toLowerCase(Locale.ROOT);
        assertFalse(lower.contains("<script"), "the page holds a script");
        assertFalse(lower.contains("http://") || lower.contains("https://"), "the page names a web address");
        assertFalse(lower.contains("<link") || lower.contains("@import") || lower.contains("url("), "the page links a resource");
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            String s = src.group(1);
            assertTrue(s.startsWith("data:image/png;base64,"), "a picture that is not inline: " + s.substring(0, Math.min(60, s.length())));
            byte[] png = java.util.Base64.getDecoder().decode(s.substring("data:image/png;base64,".length()));
            assertTrue(ImageIO.read(new java.io.ByteArrayInputStream(png)) != null, "an inline picture that is not a PNG");
            images++;
        }
        assertTrue(images > 0, "the page has no pictures");
    }
}
