package dev.ganeval.core.linalg;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link DoubleDots.Fused} is the vector kernel's arithmetic one double at a time: every operation gives the same
 * bits, so the solvers (and FID) give the same figures with and without the Vector API.
 */
class DoubleDotsTest {
    private static double[] random(Random r, int n) {
        return r.doubles(n, -1, 1).toArray();
    }

    @Test
    void theFusedKernelGivesTheVectorKernelsBits() {
        Assumptions.assumeTrue(DoubleDots.KERNEL instanceof VectorDoubleDots, "needs the Vector API kernel");
        DoubleDots.Kernel v = DoubleDots.KERNEL;
        DoubleDots.Kernel f = new DoubleDots.Fused();
        Random r = new Random(3);
        for (int len = 1; len <= 70; len++) {
            double[] a = random(r, len + 5);
            double[] b = random(r, len + 5);
            String at = "length " + len;
            assertEquals(v.dot(a, 2, b, 3, len), f.dot(a, 2, b, 3, len), 0.0, "dot, " + at);
            double[] y1 = random(r, len + 4);
            double[] y2 = y1.clone();
            assertEquals(v.dotAndAxpy(a, 1, b, 2, y1, 3, len, 0.37), f.dotAndAxpy(a, 1, b, 2, y2, 3, len, 0.37), 0.0,
                    "dotAndAxpy, " + at);
            assertArrayEquals(y1, y2, 0.0, "dotAndAxpy's y, " + at);
            v.axpy(-1.3, a, 1, y1, 2, len);
            f.axpy(-1.3, a, 1, y2, 2, len);
            assertArrayEquals(y1, y2, 0.0, "axpy, " + at);
            double[] x = random(r, len);
            v.subtractTwo(y1, 1, len, 0.4, x, -0.9, b);
            f.subtractTwo(y2, 1, len, 0.4, x, -0.9, b);
            assertArrayEquals(y1, y2, 0.0, "subtractTwo, " + at);
        }
        int lda = 75;
        for (int rows = 1; rows <= 9; rows++) {
            for (int cols : new int[] {1, 7, 8, 16, 33, 70}) {
                String at = rows + "x" + cols;
                double[] a = random(r, 4 + rows * lda);
                double[] u = random(r, Math.max(rows, cols));
                double[] a1 = a.clone();
                double[] a2 = a.clone();
                v.reflectRows(a1, 4, lda, rows, cols, u, 0.81, new double[cols]);
                f.reflectRows(a2, 4, lda, rows, cols, u, 0.81, new double[cols]);
                assertArrayEquals(a1, a2, 0.0, "reflectRows, " + at);
                v.reflectColumns(a1, 4, lda, rows, cols, u, 1.17);
                f.reflectColumns(a2, 4, lda, rows, cols, u, 1.17);
                assertArrayEquals(a1, a2, 0.0, "reflectColumns, " + at);
                int nb = v.skinnyWidth();
                double[] y = random(r, Math.max(rows, cols) * nb);
                double[] x1 = random(r, Math.max(rows, cols) * nb);
                double[] x2 = x1.clone();
                v.rowsTimes(a, 4, lda, rows, cols, y, 0, x1, 0, nb);
                f.rowsTimes(a, 4, lda, rows, cols, y, 0, x2, 0, nb);
                assertArrayEquals(x1, x2, 0.0, "rowsTimes, " + at);
                v.transposedTimes(a, 4, lda, rows, cols, y, 0, x1, 0, nb);
                f.transposedTimes(a, 4, lda, rows, cols, y, 0, x2, 0, nb);
                assertArrayEquals(x1, x2, 0.0, "transposedTimes, " + at);
            }
        }
    }
}
