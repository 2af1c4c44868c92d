package dev.ganeval.core.linalg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowOpsTest {
    @Test
    void squaredNormsAndColumnMeans() {
        FloatMatrix x = FloatMatrix.ofRows(new float[] {3, 4}, new float[] {1, -1}, new float[] {0, 0});
        assertArrayEquals(new double[] {25, 2, 0}, RowOps.squaredNorms(x), 0.0);
        assertArrayEquals(new double[] {4.0 / 3, 1.0}, RowOps.columnMeans(x), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> RowOps.columnMeans(new FloatMatrix(0, 2)));
    }

    @Test
    void matrixBasics() {
        FloatMatrix x = FloatMatrix.ofRows(new float[] {1, 2, 3}, new float[] {4, 5, 6});
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, x.transpose().data());
        assertArrayEquals(new float[] {4, 5, 6}, x.row(1));
        assertArrayEquals(new float[] {4, 5, 6}, x.rowRange(1, 2).data());
        assertThrows(IllegalArgumentException.class, () -> new FloatMatrix(2, 2, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> FloatMatrix.ofRows(new float[2], new float[3]));
        x.set(0, 0, Float.NaN);
        org.junit.jupiter.api.Assertions.assertEquals(0, x.firstNonFinite());
    }
}
