package dev.ganeval.core.data;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Float16Test {
    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            short s = (short) h;
            float f = Float16.toFloat(s);
            if (Float.isNaN(f)) {
                assertTrue((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0, Integer.toHexString(h));
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
                continue;
            }
            assertEquals(h, Float16.fromFloat(f) & 0xffff, "half 0x" + Integer.toHexString(h) + " = " + f);
        }
    }

    @Test
    void knownValues() {
        // Closed forms of the binary16 format: 1, the largest finite value, the smallest normal and subnormal.
        assertEquals(0x3c00, Float16.fromFloat(1f) & 0xffff);
        assertEquals(65504f, Float16.toFloat((short) 0x7bff));
        assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400));
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
        assertEquals(0x7c00, Float16.fromFloat(65520f) & 0xffff, "65520 is the tie between 65504 and 2^16: to even = inf");
        assertEquals(0x7bff, Float16.fromFloat(65519.99f) & 0xffff);
        assertEquals(0xfc00, Float16.fromFloat(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x0000, Float16.fromFloat(0x1p-25f) & 0xffff, "half the smallest subnormal ties to even (zero)");
        assertEquals(0x0001, Float16.fromFloat(Math.nextUp(0x1p-25f)) & 0xffff);
        assertEquals(0x8000, Float16.fromFloat(-0f) & 0xffff);
    }

    @Test
    void tiesBetweenNeighboursGoToTheEvenOne() {
        for (int h = 0; h < 0x7bff; h++) {
            float lo = Float16.toFloat((short) h);
            float hi = Float16.toFloat((short) (h + 1));
            float mid = (lo + hi) / 2; // exact in float32: halves have 11 significant bits
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, Float16.fromFloat(mid) & 0xffff, "tie between 0x" + Integer.toHexString(h) + " and its successor");
            assertEquals(h + 1, Float16.fromFloat(Math.nextUp(mid)) & 0xffff);
            assertEquals(h, Float16.fromFloat(Math.nextDown(mid)) & 0xffff);
        }
    }

    @Property
    void roundingErrorIsAtMostHalfAnUlp(@ForAll float f) {
        if (!Float.isFinite(f) || Math.abs(f) >= 65504f) {
            return;
        }
        float back = Float16.toFloat(Float16.fromFloat(f));
        double ulp = Math.abs(f) < 0x1p-14f ? 0x1p-24 : Math.ulp(f) * 0x1p13;
        assertTrue(Math.abs((double) back - f) <= ulp / 2 * (1 + 1e-12), f + " -> " + back);
    }
}
