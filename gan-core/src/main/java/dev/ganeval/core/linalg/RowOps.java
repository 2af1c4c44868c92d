package dev.ganeval.core.linalg;

import java.util.Objects;

/** Row-wise reductions on sample matrices, accumulated in float64. */
public final class RowOps {
    private RowOps() {}

    /** {@code ‖x_i‖²} for every row, summed in float64. */
    public static double[] squaredNorms(FloatMatrix x) {
        Objects.requireNonNull(x, "x");
        int rows = x.rows();
        int cols = x.cols();
        float[] d = x.data();
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double v = d[off + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    /** Column means in float64. */
    public static double[] columnMeans(FloatMatrix x) {
        Objects.requireNonNull(x, "x");
        if (x.rows() == 0) {
            throw new IllegalArgumentException("column means of a matrix with no rows are undefined");
        }
        int cols = x.cols();
        float[] d = x.data();
        double[] out = new double[cols];
        for (int i = 0; i < x.rows(); i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                out[j] += d[off + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            out[j] /= x.rows();
        }
        return out;
    }
}
