package dev.ganeval.cli;

import dev.ganeval.core.Progress;
import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.ParzenResult;
import dev.ganeval.metrics.ParzenWindow;

import java.util.Locale;

/** MNIST as the 2014 protocol splits it: train[0:50000] to train, train[50000:60000] to validate, the test set. */
record MnistData(FloatMatrix train, FloatMatrix test) {
    /** The protocol's defaults: generated samples, their seed, and validation rows taken from train[50000:]. */
    static final int PAPER_SAMPLES = 10000;
    static final long PAPER_SAMPLE_SEED = 2014;
    static final int PAPER_VALIDATION_ROWS = 1000;

    static MnistData load() {
        return new MnistData(Idx.readImages(Datasets.mnist(Datasets.Split.TRAIN).images()),
                Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images()));
    }

    /**
     * The paper's Parzen protocol for generated samples: σ from logspace(−1, 0, 10) by the mean log-likelihood of
     * the first {@code validationRows} rows of train[50000:], then mean ± standard error on the 10,000 test images.
     */
    ParzenResult parzen(FloatMatrix samples, int validationRows, Progress progress) {
        return ParzenWindow.builder().build().evaluate(samples, validation(validationRows), test, progress);
    }

    /** The protocol's validation rows: the first {@code rows} of train[50000:]. */
    FloatMatrix validation(int rows) {
        return train.rowRange(50000, 50000 + rows);
    }

    /** One line for logs: value ± standard error, and the σ the validation rows chose. */
    static String summary(ParzenResult r) {
        return String.format(Locale.ROOT, "%.1f ± %.1f nats (σ = %.4f, %d samples, %d test images)",
                r.value(), r.standardError(), r.sigma(), r.samples(), r.testRows());
    }
}
