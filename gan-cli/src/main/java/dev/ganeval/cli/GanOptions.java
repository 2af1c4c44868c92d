package dev.ganeval.cli;

import dev.ganeval.core.gan.GanConfig;
import dev.ganeval.core.gan.UpdateRule;
import dev.ganeval.core.sampling.Noise;
import picocli.CommandLine.Option;

/**
 * The reference GAN's settings on the command line, each defaulting to the 2014 paper's. A new run starts from the
 * paper's configuration with these applied; a resumed run applies them to its checkpoint's, so one that changes a
 * setting is refused by the checkpoint's configuration check, naming the setting.
 */
final class GanOptions {
    /** Adam's learning rate where none is given: DCGAN's (Radford et al., 2016), with betas 0.5 and 0.999. */
    static final double ADAM_LEARNING_RATE = 0.0002;

    @Option(names = "--noise", paramLabel = "DIST",
            description = "Generator noise: uniform[:half-width] or normal[:std] (paper: uniform:1.7320508, ±√3; the "
                    + "original mnist.yaml without a noise line used normal).")
    String noise;

    @Option(names = "--noise-dim", paramLabel = "N", description = "Noise dimensions (paper: 100).")
    Integer noiseDim;

    @Option(names = "--generator-hidden", paramLabel = "W,W", split = ",",
            description = "Widths of the generator's ReLU layers (paper: 1200,1200).")
    int[] generatorHidden;

    @Option(names = "--discriminator-units", paramLabel = "U,U", split = ",",
            description = "Units of the discriminator's maxout layers (paper: 240,240).")
    int[] discriminatorUnits;

    @Option(names = "--pieces", paramLabel = "K", description = "Maxout pieces per unit (paper: 5).")
    Integer pieces;

    @Option(names = "--batch-size", paramLabel = "N", description = "Real (and as many fake) rows per update (paper: 100).")
    Integer batchSize;

    @Option(names = "--optimizer", paramLabel = "sgd|adam[:B1,B2[,EPS]]",
            description = "Update rule: sgd, SGD with the momentum ramp below (paper); or adam, Adam with betas B1,B2 and "
                    + "epsilon EPS (default 0.5,0.999,1e-8), then --learning-rate defaults to 0.0002 and --lr-decay to 1 (on the "
                    + "paper's MNIST model D then wins within a few epochs: docs/reference-gan.md).")
    String optimizer;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Initial learning rate (paper: 0.1; adam: 0.0002).")
    Double learningRate;

    @Option(names = "--lr-decay", paramLabel = "F",
            description = "The learning rate is divided by F after every update; 1 keeps it constant (paper: 1.000004; adam: 1).")
    Double decay;

    @Option(names = "--min-learning-rate", paramLabel = "LR", description = "Floor of the decayed learning rate (paper: 1e-6).")
    Double minLearningRate;

    @Option(names = "--momentum", paramLabel = "START[,END]", split = ",",
            description = "Momentum, rising linearly from START to END over --momentum-epochs (paper: 0.5,0.7); one value: constant.")
    double[] momentum;

    @Option(names = "--momentum-epochs", paramLabel = "FROM,TO", split = ",",
            description = "Epochs over which the momentum rises, counted from 0 as train.log counts them (paper: 0,249, "
                    + "as pylearn2's MomentumAdjustor(start=1, saturate=250) does; runs before 2026-11-23 used 1,250).")
    int[] momentumEpochs;

    @Option(names = "--keep", paramLabel = "INPUT,HIDDEN", split = ",",
            description = "Dropout keep probabilities of D's input pixels and its hidden inputs; 1 for none (paper: 0.8,0.5).")
    float[] keep;

    @Option(names = "--init", paramLabel = "G,D", split = ",",
            description = "Initial weights U(±G) in the generator and U(±D) in the discriminator (paper: 0.05,0.005).")
    float[] init;

    /** {@code base} with every given option applied. */
    GanConfig apply(GanConfig base) {
        GanConfig c = base;
        if (noise != null) {
            c = c.withNoise(Noise.parse(noise));
        }
        if (noiseDim != null || generatorHidden != null || discriminatorUnits != null || pieces != null) {
            c = c.withSizes(noiseDim != null ? noiseDim : c.noiseDim(), generatorHidden != null ? generatorHidden : c.generatorHidden(),
                    c.dataDim(), discriminatorUnits != null ? discriminatorUnits : c.discriminatorUnits(),
                    pieces != null ? pieces : c.pieces());
        }
        if (batchSize != null) {
            c = c.withBatchSize(batchSize);
        }
        // Adam chosen here starts from DCGAN's constant 0.0002: its steps are about the size of the rate itself, so the
        // paper's SGD rate of 0.1 would move every weight by about 0.1 an update.
        boolean adamChosen = false;
        if (optimizer != null) {
            UpdateRule rule = UpdateRule.parse(optimizer);
            adamChosen = rule.kind() == UpdateRule.Kind.ADAM;
            c = c.withUpdateRule(rule);
        }
        Double lr = learningRate != null ? learningRate : adamChosen ? Double.valueOf(ADAM_LEARNING_RATE) : null;
        Double f = decay != null ? decay : adamChosen ? Double.valueOf(1) : null;
        if (lr != null || f != null || minLearningRate != null) {
            c = c.withSchedule(lr != null ? lr : c.learningRate(), f != null ? f : c.decay(),
                    minLearningRate != null ? minLearningRate : c.minLearningRate());
        }
        if ((momentum != null || momentumEpochs != null) && c.updateRule().kind() != UpdateRule.Kind.SGD) {
            throw new IllegalArgumentException((momentum != null ? "--momentum" : "--momentum-epochs")
                    + " sets SGD's momentum ramp, which Adam does not use; its momentum is beta1 (--optimizer adam:B1,B2)");
        }
        if (momentum != null || momentumEpochs != null) {
            double[] m = momentum == null ? new double[] {c.momentumStart(), c.momentumEnd()} : momentum;
            int[] e = momentumEpochs == null ? new int[] {c.rampStartEpoch(), c.rampEndEpoch()} : momentumEpochs;
            count("--momentum", m.length, 1, 2);
            count("--momentum-epochs", e.length, 2, 2);
            c = c.withMomentum(m[0], m[m.length - 1], e[0], e[1]);
        }
        if (keep != null) {
            count("--keep", keep.length, 2, 2);
            c = c.withDropout(keep[0], keep[1]);
        }
        if (init != null) {
            count("--init", init.length, 2, 2);
            c = c.withInit(init[0], init[1]);
        }
        return c;
    }

    /** The number of comma-separated values an option got, checked. */
    private static void count(String option, int got, int min, int max) {
        if (got < min || got > max) {
            throw new IllegalArgumentException(option + " takes " + (min == max ? "" + min : min + " or " + max)
                    + " comma-separated values, got " + got);
        }
    }
}
