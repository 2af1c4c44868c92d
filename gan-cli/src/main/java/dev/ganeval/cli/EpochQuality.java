package dev.ganeval.cli;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.FidResult;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.GaussianStats;
import dev.ganeval.metrics.InceptionScore;
import dev.ganeval.metrics.InceptionScoreResult;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import dev.ganeval.metrics.evaluation.FeatureNetworks;

/**
 * FID and the Inception Score of a training run's samples on the embedded MNIST network, for {@code train
 * --fid-every}: the real side is the data's held-out rows (those past {@code --train-rows}), their statistics
 * computed once; each measurement draws {@value #SAMPLES} samples with a fixed seed, as {@code ganeval score} would
 * score them with {@code --network mnist-mlp --metrics fid,is}.
 */
final class EpochQuality implements AutoCloseable {
    /** Samples drawn for each measurement. */
    static final int SAMPLES = 10_000;
    /** The seed of those samples: the same noise every time, so the curve follows the generator, not the draw. */
    static final long SEED = 2014;

    /** One measurement. */
    record Figures(FidResult fid, InceptionScoreResult is) {
    }

    private final FeatureNetwork.Session session;
    private final GaussianStats real;

    private EpochQuality(FeatureNetwork.Session session, GaussianStats real) {
        this.session = session;
        this.real = real;
    }

    /**
     * @throws InvalidInputException when the rows are not 28x28 images or fewer than 2 are held out
     */
    static EpochQuality against(FloatMatrix heldOut, int height, int width, String what) {
        if (height * width != 28 * 28) {
            throw new InvalidInputException("--fid-every scores with the embedded MNIST network, which takes 28x28 images (784 values); "
                    + what + " has " + height + "x" + width);
        }
        if (heldOut.rows() < 2) {
            throw new InvalidInputException("--fid-every compares with the rows of " + what + " past --train-rows, and "
                    + heldOut.rows() + " are left; lower --train-rows");
        }
        FeatureNetwork.Session s = FeatureNetworks.named("mnist-mlp").open(1, 28, 28, Device.CPU, true);
        try {
            return new EpochQuality(s, GaussianStats.of(s.run(heldOut, true, false).features()));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** FID and IS of these samples. */
    Figures measure(FloatMatrix samples) {
        FeatureNetwork.Outputs out = session.run(samples, true, true);
        return new Figures(FrechetDistance.between(real, GaussianStats.of(out.features())),
                InceptionScore.create().compute(out.logits()));
    }

    /** The real side's row count. */
    long realRows() {
        return real.count();
    }

    @Override
    public void close() {
        session.close();
    }
}
