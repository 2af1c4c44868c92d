package dev.ganeval.metrics;

/** Mean and population (ddof 0) standard deviation, the convention improved-gan and torch-fidelity report. */
final class Moments {
    private Moments() {}

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    static double std(double[] x, double mean) {
        double s = 0;
        for (double v : x) {
            s += (v - mean) * (v - mean);
        }
        return Math.sqrt(s / x.length);
    }
}
