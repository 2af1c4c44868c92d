package dev.ganeval.cli;

import dev.ganeval.core.data.Datasets;
import dev.ganeval.core.data.Idx;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.metrics.ParzenResult;
import dev.ganeval.metrics.ParzenWindow;

/** MNIST as the 2014 protocol splits it: train[0:50000] to train, train[50000:60000] to validate, the test set. */
record MnistData(FloatMatrix train, FloatMatrix test) {
    static MnistData load() {
        return new MnistData(Idx.readImages(Datasets.mnist(Datasets.Split.TRAIN).images()),
                Idx.readImages(Datasets.mnist(Datasets.Split.TEST).images()));
    }

    /**
     * The paper's Parzen protocol for generated samples: σ from logspace(−1, 0, 10) by the mean log-likelihood of
     * the first {@code validationRows} rows of train[50000:], then mean ± standard error on the 10,000 test images.
     */
    ParzenResult parzen(FloatMatrix samples, int validationRows) {
        return ParzenWindow.builder().build().evaluate(samples, train.rowRange(50000, 50000 + validationRows), test);
    }
}
