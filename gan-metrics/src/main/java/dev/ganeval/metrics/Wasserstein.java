package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.LogSumExp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Wasserstein distances between empirical distributions (rows are points; weights default to uniform and are
 * normalised to sum to 1):
 * <ul>
 *   <li>{@link #oneDimensional}: exact W_p on the line from the quantile functions; for p = 1 it equals
 *       {@code scipy.stats.wasserstein_distance};</li>
 *   <li>{@link #exact}: exact optimal transport with ground cost {@code ‖x − y‖^p} — the Hungarian algorithm
 *       (O(n³)) for two equal-sized uniform sets, otherwise successive shortest paths on the transport network
 *       (exact for real-valued weights); equal to POT's {@code emd2};</li>
 *   <li>{@link #sliced}: the mean of 1-D W_p^p over seeded random directions, to the power 1/p (POT's
 *       {@code sliced_wasserstein_distance}, but always seeded);</li>
 *   <li>{@link #sinkhorn}: entropic transport in the log domain (POT's {@code sinkhorn2}): {@code ⟨P, C⟩} for the
 *       entropy-regularised plan P. It is biased upwards relative to the exact cost, by an amount that grows with
 *       the regulariser (the plan is blurred), and it is not 0 between identical sets;</li>
 *   <li>{@link #gaussian}: W2 between Gaussians fitted to the two sets, the Fréchet distance's square root.</li>
 * </ul>
 */
public final class Wasserstein {
    private Wasserstein() {}

    // ---------------------------------------------------------------- 1-D

    /** Exact W1 between two unweighted 1-D samples. */
    public static double oneDimensional(double[] u, double[] v) {
        return oneDimensional(u, null, v, null, 1).distance();
    }

    /**
     * Exact W_p between weighted 1-D samples (null weights mean uniform).
     *
     * @throws InvalidInputException for empty samples, negative or all-zero weights, or non-finite values
     */
    public static WassersteinResult oneDimensional(double[] u, double[] uWeights, double[] v, double[] vWeights, int p) {
        checkP(p);
        double cost = quantileCost(u, weights(uWeights, u.length, "u weights"), v, weights(vWeights, v.length, "v weights"), p, "u", "v");
        return new WassersteinResult("exact-1d", p, cost, Math.pow(cost, 1.0 / p), Map.of("n", u.length, "m", v.length));
    }

    /** ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt for the two weighted empirical distributions. */
    private static double quantileCost(double[] u, double[] uw, double[] v, double[] vw, int p, String uName, String vName) {
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

    /** Normalised weights, uniform when null. */
    private static double[] weights(double[] w, int n, String name) {
        if (w == null) {
            double[] u = new double[n];
            Arrays.fill(u, 1.0 / n);
            return u;
        }
        if (w.length != n) {
            throw new InvalidInputException(name + " has " + w.length + " entries for " + n + " points");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!(w[i] >= 0) || !Double.isFinite(w[i])) {
                throw new InvalidInputException(name + "[" + i + "] = " + w[i] + "; weights must be finite and non-negative");
            }
            sum += w[i];
        }
        if (!(sum > 0)) {
            throw new InvalidInputException(name + " sum to 0");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = w[i] / sum;
        }
        return out;
    }

    private static void checkP(int p) {
        if (p != 1 && p != 2) {
            throw new InvalidInputException("p must be 1 or 2, got " + p);
        }
    }

    // ---------------------------------------------------------------- exact

    /** Exact W_p between two uniformly weighted point sets. */
    public static WassersteinResult exact(FloatMatrix x, FloatMatrix y, int p) {
        return exact(x, null, y, null, p);
    }

    /**
     * Exact W_p between two weighted point sets (null weights mean uniform). Memory and time grow as
     * {@code n·m} and about {@code (n+m)³}: meant for sets of up to a few thousand points.
     */
    public static WassersteinResult exact(FloatMatrix x, double[] wx, FloatMatrix y, double[] wy, int p) {
        checkP(p);
        Checks.samples(x, "x", 1);
        Checks.samples(y, "y", 1);
        Checks.sameDim(x, "x", y, "y");
        double[] a = weights(wx, x.rows(), "x weights");
        double[] b = weights(wy, y.rows(), "y weights");
        double[] c = groundCost(x, y, p);
        double cost;
        String algorithm;
        if (wx == null && wy == null && x.rows() == y.rows()) {
            cost = hungarian(c, x.rows()) / x.rows();
            algorithm = "hungarian";
        } else {
            cost = successiveShortestPaths(c, a, b);
            algorithm = "successive-shortest-paths";
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("n", x.rows());
        s.put("m", y.rows());
        s.put("algorithm", algorithm);
        return new WassersteinResult("exact", p, cost, Math.pow(Math.max(cost, 0), 1.0 / p), s);
    }

    /**
     * ‖x_i − y_j‖^p in float64 from the differences themselves (not ‖x‖² + ‖y‖² − 2x·y, whose cancellation would
     * cost the 1e-9 agreement with POT for nearby points), row-major n × m. Rows are copied to float64 once; pairs
     * are done two x rows by two y rows at a time, so each value loaded serves two differences (1.6× faster than
     * one pair at a time at 500 × 500 × 64).
     */
    static double[] groundCost(FloatMatrix x, FloatMatrix y, int p) {
        int n = x.rows();
        int m = y.rows();
        int d = x.cols();
        double[] xd = toDoubles(x);
        double[] yd = toDoubles(y);
        double[] c = new double[n * m];
        int evenN = n & ~1;
        int evenM = m & ~1;
        for (int i = 0; i < evenN; i += 2) {
            int x0 = i * d;
            int x1 = x0 + d;
            int r0 = i * m;
            int r1 = r0 + m;
            for (int j = 0; j < evenM; j += 2) {
                int y0 = j * d;
                int y1 = y0 + d;
                double s00 = 0;
                double s01 = 0;
                double s10 = 0;
                double s11 = 0;
                for (int k = 0; k < d; k++) {
                    double a0 = xd[x0 + k];
                    double a1 = xd[x1 + k];
                    double b0 = yd[y0 + k];
                    double b1 = yd[y1 + k];
                    double e00 = a0 - b0;
                    double e01 = a0 - b1;
                    double e10 = a1 - b0;
                    double e11 = a1 - b1;
                    s00 += e00 * e00;
                    s01 += e01 * e01;
                    s10 += e10 * e10;
                    s11 += e11 * e11;
                }
                c[r0 + j] = p == 2 ? s00 : Math.sqrt(s00);
                c[r0 + j + 1] = p == 2 ? s01 : Math.sqrt(s01);
                c[r1 + j] = p == 2 ? s10 : Math.sqrt(s10);
                c[r1 + j + 1] = p == 2 ? s11 : Math.sqrt(s11);
            }
        }
        // The odd last row and column, one pair at a time.
        for (int i = 0; i < n; i++) {
            for (int j = i < evenN ? evenM : 0; j < m; j++) {
                double sq = 0;
                for (int k = 0; k < d; k++) {
                    double e = xd[i * d + k] - yd[j * d + k];
                    sq += e * e;
                }
                c[i * m + j] = p == 2 ? sq : Math.sqrt(sq);
            }
        }
        return c;
    }

    private static double[] toDoubles(FloatMatrix x) {
        float[] f = x.data();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /**
     * Minimum-cost perfect matching on an n × n cost matrix (O(n³)). Jonker and Volgenant's start: a column
     * reduction ({@code v_j = min_i c_ij}, {@code u_i = min_j c_ij − v_j}) and a greedy matching of each row to the
     * column where its reduced cost is zero. Each row left unmatched then gets a shortest augmenting path (Dijkstra
     * on reduced costs) over a shrinking list of unscanned columns, and the potentials of the rows and columns the
     * search touched are updated once at its end rather than at every step.
     */
    static double hungarian(double[] c, int n) {
        double[] u = new double[n];
        double[] v = new double[n];
        int[] rowOfCol = new int[n];
        int[] colOfRow = new int[n];
        Arrays.fill(rowOfCol, -1);
        Arrays.fill(colOfRow, -1);
        Arrays.fill(v, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                v[j] = Math.min(v[j], c[i * n + j]);
            }
        }
        for (int i = 0; i < n; i++) {
            int row = i * n;
            double best = Double.POSITIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < n; j++) {
                double r = c[row + j] - v[j];
                if (r < best) {
                    best = r;
                    arg = j;
                }
            }
            u[i] = best;
            if (rowOfCol[arg] < 0 && c[row + arg] - u[i] - v[arg] == 0) {
                rowOfCol[arg] = i;
                colOfRow[i] = arg;
            }
        }
        double[] dist = new double[n];
        int[] pred = new int[n];
        int[] unscanned = new int[n];
        int[] scanned = new int[n];
        int[] visited = new int[n];
        for (int free = 0; free < n; free++) {
            if (colOfRow[free] >= 0) {
                continue;
            }
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                unscanned[j] = j;
            }
            int left = n;
            int nScanned = 0;
            int nVisited = 0;
            double reached = 0; // distance of the column scanned last: the search's frontier
            int i = free;
            int sink = -1;
            while (sink < 0) {
                visited[nVisited++] = i;
                int row = i * n;
                double base = reached - u[i];
                double lowest = Double.POSITIVE_INFINITY;
                int at = -1;
                for (int k = 0; k < left; k++) {
                    int j = unscanned[k];
                    double d = base + c[row + j] - v[j];
                    if (d < dist[j]) {
                        dist[j] = d;
                        pred[j] = i;
                    }
                    // On ties a free column ends the search sooner.
                    if (dist[j] < lowest || (dist[j] == lowest && rowOfCol[j] < 0)) {
                        lowest = dist[j];
                        at = k;
                    }
                }
                reached = lowest;
                int j = unscanned[at];
                unscanned[at] = unscanned[--left];
                scanned[nScanned++] = j;
                if (rowOfCol[j] < 0) {
                    sink = j;
                } else {
                    i = rowOfCol[j];
                }
            }
            // Potentials: every row and column the search settled moves by how far short of the sink it was.
            u[free] += reached;
            for (int k = 1; k < nVisited; k++) {
                int r = visited[k];
                u[r] += reached - dist[colOfRow[r]];
            }
            for (int k = 0; k < nScanned; k++) {
                int j = scanned[k];
                v[j] -= reached - dist[j];
            }
            for (int j = sink; ; ) {
                int r = pred[j];
                int next = colOfRow[r];
                rowOfCol[j] = r;
                colOfRow[r] = j;
                if (r == free) {
                    break;
                }
                j = next;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += c[i * n + colOfRow[i]];
        }
        return total;
    }

    /**
     * Exact transport cost between weights a (n) and b (m) under cost c, by successive shortest augmenting paths
     * with Dijkstra on reduced costs (dense, O((n+m)²) per path). Each augmentation moves the largest amount the
     * path allows, so real-valued weights are handled exactly.
     */
    static double successiveShortestPaths(double[] c, double[] a, double[] b) {
        int n = a.length;
        int m = b.length;
        double eps = 1e-14;
        double[] supply = a.clone();
        double[] demand = b.clone();
        double[] flow = new double[n * m];
        double[] pu = new double[n];
        double[] pv = new double[m];
        double[] distU = new double[n];
        double[] distV = new double[m];
        boolean[] doneU = new boolean[n];
        boolean[] doneV = new boolean[m];
        int[] parentV = new int[m]; // source that reached sink j
        int[] parentU = new int[n]; // sink that reached source i through a backward edge, -1 for a start
        double remaining = 1;
        int guard = 0;
        while (remaining > eps) {
            if (++guard > 100 * (n + m) + 1000) {
                throw new ArithmeticException("optimal transport did not converge (weights too uneven for float64?)");
            }
            Arrays.fill(distU, Double.POSITIVE_INFINITY);
            Arrays.fill(distV, Double.POSITIVE_INFINITY);
            Arrays.fill(doneU, false);
            Arrays.fill(doneV, false);
            for (int i = 0; i < n; i++) {
                if (supply[i] > eps) {
                    distU[i] = 0;
                    parentU[i] = -1;
                }
            }
            int target = -1;
            double targetDist = 0;
            while (true) {
                int best = -1;
                boolean bestIsU = false;
                double bd = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    if (!doneU[i] && distU[i] < bd) {
                        bd = distU[i];
                        best = i;
                        bestIsU = true;
                    }
                }
                for (int j = 0; j < m; j++) {
                    if (!doneV[j] && distV[j] < bd) {
                        bd = distV[j];
                        best = j;
                        bestIsU = false;
                    }
                }
                if (best < 0) {
                    break;
                }
                if (bestIsU) {
                    doneU[best] = true;
                    int row = best * m;
                    for (int j = 0; j < m; j++) {
                        if (!doneV[j]) {
                            double nd = bd + c[row + j] + pu[best] - pv[j];
                            if (nd < distV[j]) {
                                distV[j] = nd;
                                parentV[j] = best;
                            }
                        }
                    }
                } else {
                    doneV[best] = true;
                    if (demand[best] > eps) {
                        target = best;
                        targetDist = bd;
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (!doneU[i] && flow[i * m + best] > eps) {
                            double nd = bd - c[i * m + best] + pv[best] - pu[i];
                            if (nd < distU[i]) {
                                distU[i] = nd;
                                parentU[i] = best;
                            }
                        }
                    }
                }
            }
            if (target < 0) {
                throw new ArithmeticException("optimal transport found no augmenting path with supply left");
            }
            for (int i = 0; i < n; i++) {
                pu[i] += Math.min(distU[i], targetDist);
            }
            for (int j = 0; j < m; j++) {
                pv[j] += Math.min(distV[j], targetDist);
            }
            // Bottleneck along the path target <- source <- (sink <- source)* <- start.
            double delta = demand[target];
            int j = target;
            int i = parentV[j];
            while (true) {
                int back = parentU[i];
                if (back < 0) {
                    delta = Math.min(delta, supply[i]);
                    break;
                }
                delta = Math.min(delta, flow[i * m + back]);
                j = back;
                i = parentV[j];
            }
            j = target;
            i = parentV[j];
            demand[target] -= delta;
            while (true) {
                flow[i * m + j] += delta;
                int back = parentU[i];
                if (back < 0) {
                    supply[i] -= delta;
                    break;
                }
                flow[i * m + back] -= delta;
                j = back;
                i = parentV[j];
            }
            remaining = 0;
            for (double s : supply) {
                remaining += Math.max(s, 0);
            }
        }
        double cost = 0;
        for (int k = 0; k < flow.length; k++) {
            cost += flow[k] * c[k];
        }
        return cost;
    }

    // ---------------------------------------------------------------- sliced

    /**
     * Sliced W_p: {@code (mean over directions of W_p^p of the projections)^(1/p)}, directions drawn uniformly on
     * the sphere from {@code seed}. Uniform weights.
     */
    public static WassersteinResult sliced(FloatMatrix x, FloatMatrix y, int p, int projections, long seed) {
        checkP(p);
        Checks.samples(x, "x", 1);
        Checks.samples(y, "y", 1);
        Checks.sameDim(x, "x", y, "y");
        Checks.positive(projections, "projections");
        int d = x.cols();
        Random rnd = new Random(seed);
        FloatMatrix dirs = new FloatMatrix(projections, d);
        for (int l = 0; l < projections; l++) {
            double norm = 0;
            double[] g = new double[d];
            for (int k = 0; k < d; k++) {
                g[k] = rnd.nextGaussian();
                norm += g[k] * g[k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                dirs.set(l, k, (float) (g[k] / norm));
            }
        }
        Gemm gemm = Gemm.defaultGemm();
        FloatMatrix px = gemm.multiply(Gemm.Transpose.NONE, x, Gemm.Transpose.TRANSPOSE, dirs);
        FloatMatrix py = gemm.multiply(Gemm.Transpose.NONE, y, Gemm.Transpose.TRANSPOSE, dirs);
        double[] ux = weights(null, x.rows(), "x");
        double[] uy = weights(null, y.rows(), "y");
        double total = 0;
        double[] a = new double[x.rows()];
        double[] b = new double[y.rows()];
        for (int l = 0; l < projections; l++) {
            for (int i = 0; i < a.length; i++) {
                a[i] = px.get(i, l);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = py.get(i, l);
            }
            total += quantileCost(a, ux, b, uy, p, "x projections", "y projections");
        }
        double cost = total / projections;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("projections", projections);
        s.put("seed", seed);
        return new WassersteinResult("sliced", p, cost, Math.pow(cost, 1.0 / p), s);
    }

    // ---------------------------------------------------------------- entropic

    /**
     * Entropic optimal transport in the log domain with ground cost {@code ‖x − y‖^p} and regulariser {@code reg}:
     * returns {@code ⟨P, C⟩} for the regularised plan P (as POT's {@code sinkhorn2}), iterating until both
     * marginals are within {@code tol} (L1) or {@code maxIterations} is reached (then an error).
     */
    public static WassersteinResult sinkhorn(FloatMatrix x, double[] wx, FloatMatrix y, double[] wy, int p, double reg,
                                             int maxIterations, double tol) {
        checkP(p);
        Checks.samples(x, "x", 1);
        Checks.samples(y, "y", 1);
        Checks.sameDim(x, "x", y, "y");
        if (!(reg > 0) || !Double.isFinite(reg)) {
            throw new InvalidInputException("the Sinkhorn regulariser must be positive, got " + reg);
        }
        int n = x.rows();
        int m = y.rows();
        double[] a = weights(wx, n, "x weights");
        double[] b = weights(wy, m, "y weights");
        double[] c = groundCost(x, y, p);
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
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("reg", reg);
        s.put("iterations", it);
        s.put("marginal_error", err);
        return new WassersteinResult("sinkhorn", p, cost, Math.pow(cost, 1.0 / p), s);
    }

    // ---------------------------------------------------------------- Gaussian

    /** W2 between Gaussians fitted to the two sets: {@code cost} is the Fréchet distance (W2²). */
    public static WassersteinResult gaussian(FloatMatrix x, FloatMatrix y) {
        FidResult f = FrechetDistance.between(x, y);
        Map<String, Object> s = new LinkedHashMap<>(f.settings());
        return new WassersteinResult("gaussian", 2, f.value(), Math.sqrt(f.value()), s);
    }
}
