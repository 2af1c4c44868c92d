package dev.ganeval.core.linalg;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpSumsTest {
    static double direct(float[] x, int off, int len, float shift, float scale) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += Math.exp(-((double) x[i] - shift) * scale);
        }
        return s;
    }

    @Property(tries = 60)
    void matchesTheDirectFloat64Sum(@ForAll @IntRange(min = 1, max = 5000) int len, @ForAll @IntRange(min = 0, max = 40) int off,
                                    @ForAll @FloatRange(min = 0.001f, max = 50f) @Scale(4) float scale) {
        Random rnd = new Random(len * 31L + off);
        float[] x = new float[off + len + 7];
        float min = Float.MAX_VALUE;
        for (int i = 0; i < x.length; i++) {
            x[i] = 10 + 90 * rnd.nextFloat();
        }
        for (int i = off; i < off + len; i++) {
            min = Math.min(min, x[i]);
        }
        double want = direct(x, off, len, min, scale);
        assertTrue(want >= 1 - 1e-6, "the shifted sum holds a term of exactly 1");
        assertEquals(want, ExpSums.sumExpNegScaled(x, off, len, min, scale), 1e-6 * want);
        assertEquals(want, new ExpSums.Plain().sum(x, off, len, min, scale), 1e-12 * want);
        assertEquals(want, new ExpSums.Blocked().sum(x, off, len, min, scale), 1e-6 * want);
    }

    @Test
    void vectorPathIsUsedWhenTheModuleIsReadable() {
        boolean readable = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(readable, ExpSums.vectorized());
    }
}
