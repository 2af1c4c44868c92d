package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exact optimal transport on the line, {@link Wasserstein#oneDimensional} and each projection of
 * {@link Wasserstein#sliced}: the cost is the integral of {@code |F⁻¹ − G⁻¹|^p} between the two quantile functions,
 * found by one merge of the two sorted samples ({@code O((n + m) log(n + m))}).
 */
final class QuantileTransport {
    private QuantileTransport() {}

    /**
     * ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt for the two weighted empirical distributions ({@code uw}, {@code vw} normalised);
     * {@code uName} and {@code vName} name the samples in errors.
     *
     * @throws InvalidInputException for empty samples or non-finite values
     */
    static double cost(double[] u, double[] uw, double[] v, double[] vw, int p, String uName, String vName) {
        Objects.requireNonNull(u, uName);
        Objects.requireNonNull(v, vName);
        if (u.length == 0 || v.length == 0) {
            throw new InvalidInputException("a Wasserstein distance needs non-empty samples; " + uName + " has " + u.length
                    + " and " + vName + " has " + v.length + " values");
        }
        Checks.finite(u, uName);
        Checks.finite(v, vName);
        Integer[] iu = order(u);
        Integer[] iv = order(v);
        double t = 0;
        double cu = uw[iu[0]];
        double cv = vw[iv[0]];
        int a = 0;
        int b = 0;
        double cost = 0;
        while (true) {
            double next = Math.min(cu, cv);
            double diff = Math.abs(u[iu[a]] - v[iv[b]]);
            cost += (p == 1 ? diff : Math.pow(diff, p)) * (next - t);
            t = next;
            boolean advanceU = cu <= cv;
            boolean advanceV = cv <= cu;
            if (advanceU) {
                if (++a == u.length) {
                    break;
                }
                cu += uw[iu[a]];
            }
            if (advanceV) {
                if (++b == v.length) {
                    break;
                }
                cv += vw[iv[b]];
            }
        }
        return cost;
    }

    private static Integer[] order(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (i, j) -> Double.compare(x[i], x[j]));
        return idx;
    }
}
