package dev.ganeval.core.gan;

import dev.ganeval.core.data.Shuffle;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.Progress;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.BinaryCrossEntropy;
import dev.ganeval.core.nn.Layer.Gradients;
import dev.ganeval.core.nn.Parameter;
import dev.ganeval.core.nn.Sequential;
import dev.ganeval.core.nn.Optimizer;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a {@link ReferenceGan} the 2014 way: for every minibatch, one simultaneous step on D and G (k = 1), by the
 * configuration's {@link UpdateRule} (the paper's SGD, or Adam).
 * D minimises {@code 0.5·[BCE(1, D(x)) + BCE(0, D(G(z)))]}; G minimises the non-saturating
 * {@code −log D(G(z))} through the same dropout-masked pass of D on the fake batch.
 *
 * <p>All randomness of epoch e (shuffling, noise, dropout) comes from generators seeded with
 * {@code (seed, e)}, so training resumed from the checkpoint written after epoch e − 1 is bit-identical to an
 * uninterrupted run.
 */
public final class GanTrainer {
    private final ReferenceGan gan;
    private final FloatMatrix data;
    private final Optimizer optimizer;
    private int epoch;

    /**
     * @param data training rows in [0, 1], {@code dataDim} columns
     */
    public GanTrainer(ReferenceGan gan, FloatMatrix data) {
        this.gan = Objects.requireNonNull(gan, "gan");
        this.data = Objects.requireNonNull(data, "data");
        GanConfig c = gan.config();
        if (data.cols() != c.dataDim()) {
            throw new InvalidInputException("training data has " + data.cols() + " columns, the GAN expects " + c.dataDim());
        }
        if (data.rows() < c.batchSize()) {
            throw new InvalidInputException("training data has " + data.rows() + " rows, fewer than one batch of " + c.batchSize());
        }
        this.optimizer = c.updateRule().optimizer(c);
    }

    public ReferenceGan gan() {
        return gan;
    }

    /** Epochs completed so far. */
    public int epoch() {
        return epoch;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    void restore(int epoch, long updates) {
        this.epoch = epoch;
        optimizer.restoreUpdates(updates);
    }

    private static long mix(long seed, long epoch, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1) + 0xBF58476D1CE4E5B9L * stream;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Runs one epoch over the data (the last partial batch is dropped) and returns its statistics. */
    public EpochStats trainEpoch() {
        return trainEpoch(Progress.NONE);
    }

    /** {@link #trainEpoch()}, reporting the minibatches done to {@code progress} after each update. */
    public EpochStats trainEpoch(Progress progress) {
        Objects.requireNonNull(progress, "progress");
        long t0 = System.nanoTime();
        GanConfig c = gan.config();
        int b = c.batchSize();
        int n = data.rows();
        int d = data.cols();
        SplittableRandom shuffle = new SplittableRandom(mix(c.seed(), epoch, 1));
        SplittableRandom noise = new SplittableRandom(mix(c.seed(), epoch, 2));
        gan.dropoutRandom().reseed(mix(c.seed(), epoch, 3));
        int[] order = Shuffle.permutation(n, shuffle);
        List<Parameter> all = gan.parameters();
        double momentum = optimizer.momentum(epoch);
        double lr = optimizer.learningRate();
        double dLoss = 0;
        double gLoss = 0;
        double dReal = 0;
        double dFake = 0;
        int batches = n / b;
        FloatMatrix real = new FloatMatrix(b, d);
        Sequential gNet = gan.generatorNetwork();
        Sequential dNet = gan.discriminatorNetwork();
        // Cleared once here; every step's update clears them again for the next minibatch.
        for (Parameter p : all) {
            p.zeroGrad();
        }
        for (int k = 0; k < batches; k++) {
            for (int i = 0; i < b; i++) {
                System.arraycopy(data.data(), order[k * b + i] * d, real.data(), i * d, d);
            }
            FloatMatrix fake = gNet.forward(gan.noise(b, noise), true);
            FloatMatrix fakeLogits = dNet.forward(fake, true);
            // G: −log D(G(z)) through this pass of D, which only carries the gradient back to G: D's own
            // objective below trains D. Neither network needs the gradient with respect to its input there.
            BinaryCrossEntropy.Result g = BinaryCrossEntropy.withLogits(fakeLogits, 1f);
            gNet.backward(dNet.backward(g.gradient(), Gradients.INPUT), Gradients.PARAMETERS);
            BinaryCrossEntropy.Result df = BinaryCrossEntropy.withLogits(fakeLogits, 0f);
            dNet.backward(scaled(df.gradient(), 0.5f), Gradients.PARAMETERS);
            FloatMatrix realLogits = dNet.forward(real, true);
            BinaryCrossEntropy.Result dr = BinaryCrossEntropy.withLogits(realLogits, 1f);
            dNet.backward(scaled(dr.gradient(), 0.5f), Gradients.PARAMETERS);
            optimizer.step(all, epoch, true);
            dLoss += 0.5 * (df.loss() + dr.loss());
            gLoss += g.loss();
            dReal += meanSigmoid(realLogits);
            dFake += meanSigmoid(fakeLogits);
            progress.update(k + 1, batches);
        }
        EpochStats s = new EpochStats(epoch, dLoss / batches, gLoss / batches, dReal / batches, dFake / batches, lr,
                momentum, (System.nanoTime() - t0) / 1e9);
        epoch++;
        return s;
    }

    private static FloatMatrix scaled(FloatMatrix g, float f) {
        float[] d = g.data();
        for (int i = 0; i < d.length; i++) {
            d[i] *= f;
        }
        return g;
    }

    private static double meanSigmoid(FloatMatrix logits) {
        double s = 0;
        for (float z : logits.data()) {
            s += z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        }
        return s / logits.data().length;
    }
}
