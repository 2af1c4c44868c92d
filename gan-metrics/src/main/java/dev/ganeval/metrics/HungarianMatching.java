package dev.ganeval.metrics;

import java.util.Arrays;

/**
 * Exact optimal transport between two equal-sized uniformly weighted sets, {@link Wasserstein#exact}'s first solver:
 * an optimal plan is then a permutation (Birkhoff), so the transport is a minimum-cost assignment, solved by the
 * Hungarian algorithm with shortest augmenting paths.
 */
final class HungarianMatching {
    private HungarianMatching() {}

    /**
     * The cost of the minimum-cost perfect matching on a row-major n × n cost matrix (O(n³)). Jonker and Volgenant's start: a column
     * reduction ({@code v_j = min_i c_ij}, {@code u_i = min_j c_ij − v_j}) and a greedy matching of each row to the
     * column where its reduced cost is zero. Each row left unmatched then gets a shortest augmenting path (Dijkstra
     * on reduced costs) over a shrinking list of unscanned columns, and the potentials of the rows and columns the
     * search touched are updated once at its end rather than at every step.
     */
    static double cost(double[] c, int n) {
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
}
