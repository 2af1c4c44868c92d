package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.linalg.ExpSums;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm;
import dev.ganeval.core.linalg.SquaredDistances;

import java.util.Arrays;
import java.util.Objects;

/**
 * Parzen-window (Gaussian kernel density) log-likelihood of test data under a generator's samples, the
 * protocol of Goodfellow et al. (2014) and Breuleux et al. (2011): a Gaussian of width σ on each sample
 * {@code μ_j}, so {@code log p(x) = logmeanexp_j(−‖x − μ_j‖² / 2σ²) − d·log(σ√(2π))}; σ is chosen on a
 * validation set from a grid (default {@code logspace(−1, 0, 10)}) and the mean over the test set is
 * reported with its standard error.
 *
 * <p>Distances come from the fast GEMM ({@link SquaredDistances}), in blocks, so memory stays bounded for
 * any numbers of samples and test rows, and every σ of the grid is evaluated from the same distance pass.
 * The log-mean-exp is shifted by each row's smallest distance, so the largest term is exactly 1, and the
 * sum of exponentials ({@link ExpSums}) is accumulated in float64.
 */
public final class ParzenWindow implements Metric {
    /**
     * {@code parzen}, on the samples themselves: the generated samples are the kernel centres; with a grid, σ is chosen
     * on the first tenth of the real rows (at least one) and the log-likelihood is that of the other real rows; with a
     * single σ it is used as given, on the same rows. The paper's MNIST protocol, with its own validation rows, is
     * {@link ParzenProtocol}.
     */
    @Override
    public String name() {
        return "parzen";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_PIXELS, Input.FAKE_PIXELS);
    }

    @Override
    public ParzenResult compute(MetricInputs inputs) {
        FloatMatrix real = inputs.realPixels();
        FloatMatrix fake = inputs.fakePixels();
        if (real.rows() < 2) {
            throw new InvalidInputException("the Parzen window needs at least 2 real rows (one to choose σ, one to score), got "
                    + real.rows());
        }
        int v = Math.max(1, real.rows() / 10);
        FloatMatrix test = real.rowRange(v, real.rows());
        return sigmas.length == 1 ? logLikelihood(fake, test, sigmas[0], inputs.progress())
                : compute(fake, real.rowRange(0, v), test, inputs.progress());
    }

    private final double[] sigmas;
    private final Gemm gemm;

    private ParzenWindow(double[] sigmas, Gemm gemm) {
        this.sigmas = sigmas;
        this.gemm = gemm;
    }

    /** {@code count} values spaced evenly in log from {@code from} to {@code to}, like {@code np.logspace}. */
    public static double[] logGrid(double from, double to, int count) {
        if (!(from > 0) || !(to > 0) || count < 1) {
            throw new InvalidInputException("a log grid needs positive ends and at least one point, got "
                    + from + ", " + to + ", " + count);
        }
        double[] g = new double[count];
        double a = Math.log10(from);
        double b = Math.log10(to);
        for (int i = 0; i < count; i++) {
            g[i] = count == 1 ? from : Math.pow(10, a + (b - a) * i / (count - 1));
        }
        return g;
    }

    /** The paper's grid: 10 values from 0.1 to 1. */
    public static double[] defaultSigmas() {
        return logGrid(0.1, 1.0, 10);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options: the σ grid and the GEMM (thread count) used for distances. */
    public static final class Builder {
        private double[] sigmas = defaultSigmas();
        private Gemm gemm = Gemm.defaultGemm();

        public Builder sigmas(double... sigmas) {
            Objects.requireNonNull(sigmas, "sigmas");
            if (sigmas.length == 0) {
                throw new InvalidInputException("the σ grid is empty");
            }
            for (double s : sigmas) {
                checkSigma(s);
            }
            this.sigmas = sigmas.clone();
            return this;
        }

        public Builder gemm(Gemm gemm) {
            this.gemm = Objects.requireNonNull(gemm, "gemm");
            return this;
        }

        public ParzenWindow build() {
            return new ParzenWindow(sigmas.clone(), gemm);
        }
    }

    private static void checkSigma(double s) {
        if (!(s > 0) || !Double.isFinite(s)) {
            throw new InvalidInputException("σ must be positive and finite, got " + s);
        }
    }

    /** The σ grid. */
    public double[] sigmas() {
        return sigmas.clone();
    }

    /**
     * {@code log p(x_i)} for every row of {@code x} under every σ of the grid: {@code result[s][i]}.
     *
     * @throws InvalidInputException on empty sets, mismatched dimensions or non-finite values
     */
    public double[][] logLikelihoods(FloatMatrix samples, FloatMatrix x) {
        return logLikelihoods(samples, x, sigmas, Progress.NONE);
    }

    /** Reports {@code x}'s rows done to {@code progress}. */
    private double[][] logLikelihoods(FloatMatrix samples, FloatMatrix x, double[] grid, Progress progress) {
        Checks.samples(samples, "samples", 1);
        Checks.samples(x, "test rows", 1);
        Checks.sameDim(samples, "samples", x, "test rows");
        int n = samples.rows();
        int d = samples.cols();
        int ns = grid.length;
        double[] inv = new double[ns];
        double[] norm = new double[ns];
        for (int s = 0; s < ns; s++) {
            inv[s] = 1.0 / (2 * grid[s] * grid[s]);
            norm[s] = Math.log(n) + d * Math.log(grid[s] * Math.sqrt(2 * Math.PI));
        }
        double[][] out = new double[ns][x.rows()];
        SquaredDistances.forEachRow(gemm, x, samples, (row, dist, off) -> {
            float min = Float.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                min = Math.min(min, dist[off + j]);
            }
            for (int s = 0; s < ns; s++) {
                double a = inv[s];
                double sum = ExpSums.sumExpNegScaled(dist, off, n, min, (float) a);
                out[s][row] = -min * a + Math.log(sum) - norm[s];
            }
        }, progress);
        return out;
    }

    /**
     * Chooses σ from the grid by the mean log-likelihood of {@code validation}.
     *
     * @return the validation curve and the best σ
     */
    public ParzenResult fitSigma(FloatMatrix samples, FloatMatrix validation) {
        return fitSigma(samples, validation, Progress.NONE);
    }

    private ParzenResult fitSigma(FloatMatrix samples, FloatMatrix validation, Progress progress) {
        double[][] ll = logLikelihoods(samples, validation, sigmas, progress);
        double[] curve = new double[sigmas.length];
        int best = 0;
        for (int s = 0; s < sigmas.length; s++) {
            curve[s] = Moments.mean(ll[s]);
            if (curve[s] > curve[best]) {
                best = s;
            }
        }
        return new ParzenResult(curve[best], Moments.std(ll[best], curve[best]) / Math.sqrt(ll[best].length), sigmas[best], samples.rows(),
                validation.rows(), samples.cols(), sigmas, curve);
    }

    /** Mean log-likelihood of {@code test} at a given σ, with its standard error. */
    public ParzenResult logLikelihood(FloatMatrix samples, FloatMatrix test, double sigma) {
        return logLikelihood(samples, test, sigma, Progress.NONE);
    }

    /** {@link #logLikelihood(FloatMatrix, FloatMatrix, double)}, reporting the test rows done to {@code progress}. */
    public ParzenResult logLikelihood(FloatMatrix samples, FloatMatrix test, double sigma, Progress progress) {
        Objects.requireNonNull(progress, "progress");
        checkSigma(sigma);
        double[] ll = logLikelihoods(samples, test, new double[] {sigma}, progress)[0];
        double mean = Moments.mean(ll);
        return new ParzenResult(mean, Moments.std(ll, mean) / Math.sqrt(ll.length), sigma, samples.rows(), test.rows(), samples.cols(),
                new double[0], new double[0]);
    }

    /**
     * The paper's protocol end to end: σ from the grid by validation log-likelihood, then the mean ± standard
     * error on the test set at that σ; the result carries the validation curve.
     */
    public ParzenResult compute(FloatMatrix samples, FloatMatrix validation, FloatMatrix test) {
        return compute(samples, validation, test, Progress.NONE);
    }

    /**
     * {@link #compute(FloatMatrix, FloatMatrix, FloatMatrix)}, reporting to {@code progress} the rows done: the
     * validation rows first, then the test rows, out of both together.
     */
    public ParzenResult compute(FloatMatrix samples, FloatMatrix validation, FloatMatrix test, Progress progress) {
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(progress, "progress");
        long total = (long) validation.rows() + test.rows();
        ParzenResult fit = fitSigma(samples, validation, (done, all) -> progress.update(done, total));
        ParzenResult r = logLikelihood(samples, test, fit.sigma(),
                (done, all) -> progress.update(validation.rows() + done, total));
        return new ParzenResult(r.value(), r.standardError(), r.sigma(), r.samples(), r.testRows(), r.dim(),
                sigmas, fit.validationCurve());
    }

    @Override
    public String toString() {
        return "ParzenWindow" + Arrays.toString(sigmas);
    }
}
