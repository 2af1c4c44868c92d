package dev.ganeval.metrics;

import dev.ganeval.core.linalg.LogSumExp;

/**
 * Entropic optimal transport in the log domain, {@link Wasserstein#sinkhorn}: Sinkhorn's alternating updates of the
 * dual potentials f and g, each a log-sum-exp over a row or column of {@code (g − C) / reg} or {@code (f − C) / reg}.
 */
final class Sinkhorn {
    private Sinkhorn() {}

    /** The transport cost {@code ⟨P, C⟩} of the regularised plan P, with the iterations taken and the last marginal error. */
    record Solution(double cost, int iterations, double marginalError) {}

    /**
     * Iterates on the row-major {@code n × m} cost {@code c} between weights {@code a} (n) and {@code b} (m), both
     * normalised, until the row marginals are within {@code tol} (L1; the column marginals are exact after each g
     * update), checking every 10 iterations and at the last.
     *
     * @throws ArithmeticException if {@code maxIterations} pass first
     */
    static Solution solve(double[] c, double[] a, double[] b, double reg, int maxIterations, double tol) {
        int n = a.length;
        int m = b.length;
        double[] f = new double[n];
        double[] g = new double[m];
        double[] buf = new double[Math.max(n, m)];
        int it = 0;
        double err = Double.POSITIVE_INFINITY;
        while (it < maxIterations) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    buf[j] = (g[j] - c[i * m + j]) / reg;
                }
                f[i] = reg * Math.log(a[i]) - reg * LogSumExp.logSumExp(buf, 0, m);
            }
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    buf[i] = (f[i] - c[i * m + j]) / reg;
                }
                g[j] = reg * Math.log(b[j]) - reg * LogSumExp.logSumExp(buf, 0, n);
            }
            it++;
            if (it % 10 == 0 || it == maxIterations) {
                // After the g update the column marginals are exact; check the rows.
                err = 0;
                for (int i = 0; i < n; i++) {
                    double row = 0;
                    for (int j = 0; j < m; j++) {
                        row += Math.exp((f[i] + g[j] - c[i * m + j]) / reg);
                    }
                    err += Math.abs(row - a[i]);
                }
                if (err < tol) {
                    break;
                }
            }
        }
        if (!(err < tol)) {
            throw new ArithmeticException("Sinkhorn did not converge in " + maxIterations + " iterations (marginal error "
                    + err + "); raise the regulariser or the iteration limit");
        }
        double cost = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                cost += Math.exp((f[i] + g[j] - c[i * m + j]) / reg) * c[i * m + j];
            }
        }
        return new Solution(cost, it, err);
    }
}
