package dev.ganeval.metrics.report;

import java.util.Base64;
import java.util.Locale;

/**
 * The few pieces every page is built of: escaped text, inline PNGs, and the page frame with its style sheet. Nothing a
 * page holds is fetched: no script, no font but the browser's own, pictures as {@code data:} URIs.
 */
final class Html {
    private Html() {}

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** An {@code <img>} of PNG bytes, shown {@code scale} times its size with sharp pixels. */
    static String img(byte[] png, String alt, int width, int height, int scale, String cls) {
        return "<img class=\"" + cls + "\" alt=\"" + esc(alt) + "\" width=\"" + width * scale + "\" height=\"" + height * scale
                + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
    }

    /** A number for people: four significant digits. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 1e5 || v != 0 && Math.abs(v) < 1e-3 ? "%.3e" : "%.4g", v);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }

    /** The page: a title, the style sheet, and the body. */
    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + esc(title) + "</title>\n<style>\n" + STYLE + "</style></head>\n<body>\n" + body
                + "<footer>Written by ganeval as one self-contained file: pictures inline, charts as inline SVG, no script, "
                + "nothing fetched.</footer>\n</body></html>\n";
    }

    private static final String STYLE = """
            body{font-family:sans-serif;margin:16px 24px;color:#222;background:#fff;max-width:1200px}
            h1{font-size:22px;margin:4px 0 8px} h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ddd}
            table{border-collapse:collapse;font-size:13px;margin:6px 0} th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
            th{background:#f4f4f4} td.num{font-family:monospace;text-align:right;white-space:nowrap}
            .mono{font-family:monospace;font-size:12px;word-break:break-all}
            .row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
            figure{margin:0} figcaption{font-size:12px;color:#444;margin-top:2px}
            img.px{image-rendering:pixelated;border:1px solid #ccc}
            .pairs{display:flex;flex-wrap:wrap;gap:12px} .pair{border:1px solid #ddd;padding:4px}
            .pair.close{border-color:#c0392b}
            .note{font-size:13px;color:#444;max-width:900px} .missing{color:#a05000;font-size:13px}
            svg.chart{display:block;margin:6px 0}
            footer{margin-top:32px;font-size:12px;color:#777}
            """;
}
