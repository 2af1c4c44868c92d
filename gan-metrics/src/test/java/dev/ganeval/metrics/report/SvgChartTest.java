package dev.ganeval.metrics.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {
    /** Values whose spread is below their ulp's reach: a summed tick position would never move. */
    @Test
    void aRangeNarrowerThanItsValuesPrecisionStillEnds() {
        double[] x = {1e17, 1e17 + 32};
        String svg = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> SvgChart.line(0, "t", "epoch", "v", x,
                List.of(new SvgChart.Series("v", new double[] {1e17, 1e17 + 32}, null))));
        assertTrue(svg.endsWith("</svg>\n") && svg.split("<line x1", -1).length - 1 <= SvgChart.MAX_TICKS + 4, svg);
    }

    /** Tick labels are round numbers, each different: IS per epoch that moved in its sixth digit labelled two ticks alike. */
    @Test
    void tickLabelsAreDistinct() {
        double[] x = {0, 1};
        String svg = SvgChart.line(0, "IS", "epoch", "IS", x, List.of(new SvgChart.Series("is",
                new double[] {1.000605371677519, 1.0006052537660572}, new double[] {1.5976e-5, 1.5971e-5})));
        java.util.List<String> labels = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("text-anchor=\"end\">([^<]*)<").matcher(svg);
        while (m.find()) {
            labels.add(m.group(1));
        }
        assertTrue(labels.size() >= 2 && new java.util.HashSet<>(labels).size() == labels.size(), labels.toString());
    }
}
