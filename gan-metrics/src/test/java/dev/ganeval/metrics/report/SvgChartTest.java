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
}
