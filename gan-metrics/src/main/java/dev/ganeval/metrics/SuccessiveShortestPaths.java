package dev.ganeval.metrics;

import java.util.Arrays;

/**
 * Exact optimal transport between any two weighted sets, {@link Wasserstein#exact}'s general solver: a
 * minimum-cost flow on the bipartite transport network by successive shortest paths.
 */
final class SuccessiveShortestPaths {
    private SuccessiveShortestPaths() {}

    /**
     * Exact transport cost between weights a (n) and b (m) under cost c, by successive shortest augmenting paths
     * with Dijkstra on reduced costs (dense, O((n+m)²) per path). Each augmentation moves the largest amount the
     * path allows, so real-valued weights are handled exactly.
     */
    static double cost(double[] c, double[] a, double[] b) {
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
}
