package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogSumExpTest {

    @Test
    void matchesTheDirectFormulaOnModerateValues() {
        double[] x = {0.5, -1.25, 2.0, 0.0};
        double direct = Math.log(Math.exp(0.5) + Math.exp(-1.25) + Math.exp(2.0) + 1.0);
        assertEquals(direct, LogSumExp.logSumExp(x), 1e-15);
        assertEquals(direct - Math.log(4), LogSumExp.logMeanExp(x, 0, 4), 1e-15);
    }

    @Test
    void survivesExponentsThatUnderflowDouble() {
        // exp(-10000) is 0 in float64; the shifted form keeps the answer.
        double[] x = {-10000, -10000 + Math.log(3)};
        assertEquals(-10000 + Math.log(4), LogSumExp.logSumExp(x), 1e-9);
    }

    @Test
    void infinitiesAndNan() {
        double ninf = Double.NEGATIVE_INFINITY;
        assertEquals(ninf, LogSumExp.logSumExp(ninf, ninf));
        assertEquals(Double.POSITIVE_INFINITY, LogSumExp.logSumExp(1, Double.POSITIVE_INFINITY));
        assertEquals(2.0, LogSumExp.logSumExp(ninf, 2.0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> LogSumExp.logSumExp(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> LogSumExp.logMeanExp(new double[0], 0, 0));
    }

    @Property
    void liesBetweenMaxAndMaxPlusLogN(@ForAll @Size(min = 1, max = 50) List<@DoubleRange(min = -1e5, max = 1e5) Double> values) {
        double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double lse = LogSumExp.logSumExp(x);
        assertEquals(true, lse >= max - 1e-9 && lse <= max + Math.log(x.length) + 1e-9, lse + " vs max " + max);
    }

    @Property
    void shiftEquivariance(@ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = -50, max = 50) Double> values,
                           @ForAll @DoubleRange(min = -1e4, max = 1e4) double shift) {
        double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = values.stream().mapToDouble(v -> v + shift).toArray();
        assertEquals(LogSumExp.logSumExp(x) + shift, LogSumExp.logSumExp(y), 1e-9 * (1 + Math.abs(shift)));
    }
}
