package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The 2014 paper's Parzen protocol on MNIST, in one place for every caller (the {@code parzen}, {@code demo} and
 * {@code train} commands, and library code): train[0:50000] to train on, the first {@code validationRows} of
 * train[50000:60000] to choose σ from logspace(−1, 0, 10), mean ± standard error of the log-likelihood of the
 * 10,000 test images under 10,000 generated samples. As a {@link Metric} ({@code parzen-mnist}) it scores the
 * generated samples of an evaluation against MNIST test, with no real side.
 */
public final class ParzenProtocol implements Metric {
    /** The protocol's generated samples. */
    public static final int PAPER_SAMPLES = 10000;
    /** The seed ganeval draws the protocol's samples with. */
    public static final long PAPER_SAMPLE_SEED = 2014;
    /** The protocol's validation rows, the first of train[50000:]. */
    public static final int PAPER_VALIDATION_ROWS = 1000;
    /** Table 1's MNIST figure and its standard error. */
    public static final double PAPER_VALUE = 225;
    public static final double PAPER_STANDARD_ERROR = 2;

    /** MNIST train and test, read on first use and shared by the protocols made from one {@link #mnist()}. */
    private static final class Data {
        private FloatMatrix train;
        private FloatMatrix test;

        synchronized void load() {
            if (train == null) {
                train = Idx.readImages(Datasets.mnist(Datasets.Split.TRAIN).images());
                test = Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images());
            }
        }
    }

    private final Data data;
    private final double[] sigmas;
    private final int validationRows;

    private ParzenProtocol(Data data, double[] sigmas, int validationRows) {
        this.data = data;
        this.sigmas = sigmas;
        this.validationRows = validationRows;
    }

    /**
     * MNIST as the protocol splits it, read from {@link Datasets#mnist} on first use, with the paper's σ grid and validation rows.
     *
     * @throws InvalidInputException when MNIST is not where {@link Datasets} looks (its message says how to fetch it)
     */
    public static ParzenProtocol mnist() {
        return new ParzenProtocol(new Data(), ParzenWindow.defaultSigmas(), PAPER_VALIDATION_ROWS);
    }

    /**
     * The same data with other σ: several to choose from on the validation rows, or one to use as given.
     *
     * @throws InvalidInputException for an empty grid or a σ that is not positive and finite
     */
    public ParzenProtocol withSigmas(double... sigmas) {
        return new ParzenProtocol(data, ParzenWindow.builder().sigmas(sigmas).build().sigmas(), validationRows);
    }

    /**
     * The same with σ chosen on the first {@code rows} of train[50000:].
     *
     * @throws InvalidInputException outside 1 … 10,000
     */
    public ParzenProtocol withValidationRows(int rows) {
        if (rows < 1 || rows > 10000) {
            throw new InvalidInputException("the validation rows come from train[50000:60000]: between 1 and 10000, got " + rows);
        }
        return new ParzenProtocol(data, sigmas, rows);
    }

    /** {@code parzen-mnist}: the generated samples against MNIST test; no real side is read. */
    @Override
    public String name() {
        return "parzen-mnist";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.FAKE_PIXELS);
    }

    @Override
    public ParzenResult compute(MetricInputs inputs) {
        FloatMatrix samples = inputs.fakePixels();
        if (samples.cols() != 28 * 28) {
            throw new InvalidInputException("the MNIST Parzen protocol needs samples of 28x28 = 784 pixels, got " + samples.cols());
        }
        return compute(samples, sigmas, validationRows, inputs.progress());
    }

    /** How a run of {@code samples} generated rows with these settings leaves the paper's protocol, or null. */
    public String departure(int samples, String sigmaSpec) {
        return departure(samples, sigmas, validationRows, sigmaSpec);
    }

    /** MNIST train, all 60,000 rows, pixels in [0, 1]. */
    public FloatMatrix train() {
        data.load();
        return data.train;
    }

    /** MNIST test, 10,000 rows. */
    public FloatMatrix test() {
        data.load();
        return data.test;
    }

    /** The protocol's validation rows: the first {@code rows} of train[50000:]. */
    public FloatMatrix validation(int rows) {
        if (rows < 1 || rows > 10000) {
            throw new InvalidInputException("the validation rows come from train[50000:60000]: between 1 and 10000, got " + rows);
        }
        return train().rowRange(50000, 50000 + rows);
    }

    /**
     * The log-likelihood of the test set under {@code samples}: with several σ, at the one whose mean log-likelihood of
     * the first {@code validationRows} validation rows is best; with one σ, at that σ (no validation rows are read).
     */
    public ParzenResult compute(FloatMatrix samples, double[] sigmas, int validationRows, Progress progress) {
        Objects.requireNonNull(sigmas, "sigmas");
        ParzenWindow window = ParzenWindow.builder().sigmas(sigmas).build();
        return sigmas.length == 1 ? window.logLikelihood(samples, test(), sigmas[0], progress)
                : window.compute(samples, validation(validationRows), test(), progress);
    }

    /** With this protocol's σ and validation rows (the paper's, unless changed). */
    public ParzenResult compute(FloatMatrix samples, Progress progress) {
        return compute(samples, sigmas, validationRows, progress);
    }

    /**
     * How a run leaves the paper's protocol (its sample count, validation rows or σ), or null when it does not: a
     * figure from 500 samples is not comparable with Table 1's, and reports say so next to it.
     *
     * @param sigmaSpec how the σ were asked for, for the message (e.g. {@code 0.1,1,100}), or null
     */
    public static String departure(int samples, double[] sigmas, int validationRows, String sigmaSpec) {
        List<String> how = new ArrayList<>();
        if (samples != PAPER_SAMPLES) {
            how.add(String.format(Locale.ROOT, "%,d samples, not the paper's %,d", samples, PAPER_SAMPLES));
        }
        if (sigmas.length > 1 && validationRows != PAPER_VALIDATION_ROWS) {
            how.add(String.format(Locale.ROOT, "σ chosen on %,d validation rows, not the paper's %,d", validationRows,
                    PAPER_VALIDATION_ROWS));
        }
        if (sigmas.length == 1) {
            how.add("σ fixed by hand, not chosen on validation rows as the paper does");
        } else if (!Arrays.equals(sigmas, ParzenWindow.defaultSigmas())) {
            how.add("σ from " + (sigmaSpec == null ? sigmas.length + " values" : sigmaSpec.strip())
                    + ", not the paper's 10 values from 0.1 to 1");
        }
        return how.isEmpty() ? null : String.join("; ", how);
    }

    /** One line for logs: value ± standard error, and the σ the validation rows chose. */
    public static String summary(ParzenResult r) {
        return String.format(Locale.ROOT, "%.1f ± %.1f nats (σ = %.4f, %d samples, %d test images)",
                r.value(), r.standardError(), r.sigma(), r.samples(), r.testRows());
    }
}
