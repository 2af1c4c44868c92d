package dev.ganeval.core.linalg;

/** The test oracle: a triple loop in float64, no blocking, no packing. */
final class NaiveGemm {
    private NaiveGemm() {}

    /** α·op(A)·op(B) + β·C in float64, for row-major A (stored rows × cols) and B. */
    static double[] multiply(boolean ta, boolean tb, int m, int n, int k, double alpha, float[] a, int lda,
                             float[] b, int ldb, double beta, float[] c, int ldc) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[p * lda + i] : a[i * lda + p];
                    double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                    s += av * bv;
                }
                double prior = beta == 0 ? 0 : beta * c[i * ldc + j];
                out[i * n + j] = alpha * s + prior;
            }
        }
        return out;
    }
}
