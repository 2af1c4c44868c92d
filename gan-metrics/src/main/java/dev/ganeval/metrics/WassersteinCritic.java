package dev.ganeval.metrics;

import dev.ganeval.core.data.Shuffle;
import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Activation;
import dev.ganeval.core.nn.Adam;
import dev.ganeval.core.nn.Layer;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Optimizer;
import dev.ganeval.core.nn.Parameter;
import dev.ganeval.core.nn.RmsProp;
import dev.ganeval.core.nn.Sequential;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Wasserstein-1 distance as WGAN measures it: the Kantorovich–Rubinstein dual {@code W1(P, Q) = sup over
 * 1-Lipschitz f of E_P f − E_Q f}, estimated by training an MLP critic f (ReLU, {@code depth} hidden layers of
 * {@code width}) to maximise {@code E_real f − E_fake f} (Arjovsky et al. 2017) under one of two constraints:
 * <ul>
 *   <li>{@link Constraint#GRADIENT_PENALTY} (default; Gulrajani et al. 2017): {@code λ·E (‖∇f(x̂)‖ − 1)²} on random
 *   interpolates {@code x̂ = εx + (1−ε)x̃}, λ = 10, Adam with lr 1e-4 and β = (0, 0.9). The penalty's gradient goes
 *   through the critic's input gradient, computed by double backpropagation
 *   ({@link Layer#backwardOfBackward}).</li>
 *   <li>{@link Constraint#WEIGHT_CLIPPING} (WGAN): every parameter clipped to [−c, c] after each step, c = 0.01,
 *   RMSProp with lr 5e-5. The critic is then K-Lipschitz for an unknown K: the value is W1 up to that scale.</li>
 * </ul>
 *
 * <p>Honest by construction: each side is shuffled with the seed and split in half; the critic is trained on the
 * first halves (minibatches drawn with replacement) and the reported value is {@code mean f(real) − mean f(fake)}
 * on the second halves, which it never saw, with the standard error of that difference of means. A critic scored on
 * its training samples overstates the distance. What the number is not: with the penalty the constraint is soft, so
 * the critic's slope exceeds 1 where the sides differ most and the value can exceed W1 (for a translation by a, a
 * linear critic's optimum is ‖a‖·(1 + ‖a‖/(2λ)): relative bias ‖a‖/(2λ)); with too few steps or too small a critic
 * it falls short of W1. It depends on the scale of the features, as W1 does.
 *
 * <p>Training costs about {@code steps × 10 × batch × (d·width + (depth−1)·width²)} multiply-adds (forward and
 * backward on 2·batch rows, forward, input gradient and second backward on the interpolates).
 */
public final class WassersteinCritic implements Metric {
    /** How the critic is kept (near) 1-Lipschitz. */
    public enum Constraint {
        GRADIENT_PENALTY("gradient penalty"), WEIGHT_CLIPPING("weight clipping");

        private final String words;

        Constraint(String words) {
            this.words = words;
        }

        @Override
        public String toString() {
            return words;
        }
    }

    /** Rows scored for each point of the training curve, per side (the last ones of the held-out halves). */
    static final int CURVE_ROWS = 1024;

    private final Constraint constraint;
    private final int steps;
    private final int width;
    private final int depth;
    private final int batch;
    private final double lambda;
    private final double clip;
    private final double learningRate;
    private final long seed;
    private final boolean pixels;
    private final int curvePoints;

    private WassersteinCritic(Builder b) {
        this.constraint = b.clip > 0 ? Constraint.WEIGHT_CLIPPING : Constraint.GRADIENT_PENALTY;
        this.steps = b.steps;
        this.width = b.width;
        this.depth = b.depth;
        this.batch = b.batch;
        this.lambda = b.lambda;
        this.clip = b.clip;
        this.learningRate = b.learningRate > 0 ? b.learningRate : constraint == Constraint.WEIGHT_CLIPPING ? 5e-5 : 1e-4;
        this.seed = b.seed;
        this.pixels = b.pixels;
        this.curvePoints = b.curvePoints;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code wgan}. */
    @Override
    public String name() {
        return "wgan";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return pixels ? java.util.EnumSet.of(Input.REAL_PIXELS, Input.FAKE_PIXELS)
                : java.util.EnumSet.of(Input.REAL_FEATURES, Input.FAKE_FEATURES);
    }

    @Override
    public void requireRows(long realRows, long fakeRows) {
        for (long n : new long[] {realRows, fakeRows}) {
            if (n >= 0 && n < 4) {
                throw new InvalidInputException("wgan trains on half of each side and scores the other half: it needs at "
                        + "least 4 rows a side, got " + realRows + " real and " + fakeRows + " fake");
            }
        }
    }

    @Override
    public WganResult compute(MetricInputs inputs) {
        return pixels ? compute(inputs.realPixels(), inputs.fakePixels())
                : compute(inputs.realFeatures(), inputs.fakeFeatures());
    }

    /**
     * @throws InvalidInputException with fewer than 4 rows a side, mismatched dimensions or a non-finite value
     */
    public WganResult compute(FloatMatrix real, FloatMatrix fake) {
        Checks.samples(real, "real samples", 4);
        Checks.samples(fake, "fake samples", 4);
        Checks.sameDim(real, "real samples", fake, "fake samples");
        SplittableRandom rnd = new SplittableRandom(seed);
        FloatMatrix[] r = halves(real, rnd);
        FloatMatrix[] f = halves(fake, rnd);
        return train(r, f, rnd);
    }

    /**
     * The critic trained on {@code realTrain} and {@code fakeTrain}, scored on {@code realTest} and {@code fakeTest}:
     * for a split of the caller's own (the held-out rows of another run, a fixed test set).
     *
     * @throws InvalidInputException with an empty set, fewer than 2 rows in a test set, mismatched dimensions or a
     *                               non-finite value
     */
    public WganResult compute(FloatMatrix realTrain, FloatMatrix fakeTrain, FloatMatrix realTest, FloatMatrix fakeTest) {
        Checks.samples(realTrain, "real training rows", 1);
        Checks.samples(fakeTrain, "fake training rows", 1);
        Checks.samples(realTest, "real held-out rows", 2);
        Checks.samples(fakeTest, "fake held-out rows", 2);
        Checks.sameDim(realTrain, "real training rows", fakeTrain, "fake training rows");
        Checks.sameDim(realTrain, "real training rows", realTest, "real held-out rows");
        Checks.sameDim(realTrain, "real training rows", fakeTest, "fake held-out rows");
        SplittableRandom rnd = new SplittableRandom(seed);
        return train(new FloatMatrix[] {realTrain, realTest}, new FloatMatrix[] {fakeTrain, fakeTest}, rnd);
    }

    /** Trains on {@code r[0]}, {@code f[0]} and scores on {@code r[1]}, {@code f[1]}. */
    private WganResult train(FloatMatrix[] r, FloatMatrix[] f, SplittableRandom rnd) {
        int d = r[0].cols();
        Sequential critic = critic(d, rnd);
        List<Parameter> params = critic.parameters();
        Optimizer opt = constraint == Constraint.GRADIENT_PENALTY
                ? new Adam(learningRate, 1, 0, 0.0, 0.9, 1e-8) : new RmsProp(learningRate);
        FloatMatrix both = new FloatMatrix(2 * batch, d);
        FloatMatrix seedGrad = new FloatMatrix(2 * batch, 1);
        for (int i = 0; i < batch; i++) {
            seedGrad.data()[i] = -1f / batch;             // the loss is mean f(fake) − mean f(real) (+ penalty)
            seedGrad.data()[batch + i] = 1f / batch;
        }
        FloatMatrix interpolates = new FloatMatrix(batch, d);
        FloatMatrix ones = new FloatMatrix(batch, 1);
        java.util.Arrays.fill(ones.data(), 1f);
        int every = Math.max(1, steps / Math.max(1, curvePoints));
        List<WganResult.CurvePoint> curve = new ArrayList<>();
        double sumEstimate = 0;
        double sumPenalty = 0;
        int since = 0;
        for (int step = 1; step <= steps; step++) {
            drawRows(r[0], both, 0, rnd);
            drawRows(f[0], both, batch, rnd);
            float[] out = critic.forward(both, true).data();
            double batchEstimate = 0;
            for (int i = 0; i < batch; i++) {
                batchEstimate += out[i] - out[batch + i];
            }
            if (!Double.isFinite(batchEstimate)) {
                throw diverged("its value on step " + step + "'s minibatch is " + batchEstimate);
            }
            sumEstimate += batchEstimate / batch;
            critic.backward(seedGrad, Layer.Gradients.PARAMETERS);
            if (constraint == Constraint.GRADIENT_PENALTY) {
                interpolate(both, interpolates, rnd);
                critic.forward(interpolates, true);
                FloatMatrix gx = critic.backward(ones, Layer.Gradients.INPUT);
                sumPenalty += penaltyAdjoint(gx);                 // gx now holds ∂penalty/∂gx
                critic.backwardOfBackward(gx, ones);
            }
            opt.step(params, 0, true);
            if (constraint == Constraint.WEIGHT_CLIPPING) {
                clipAll(params);
            }
            since++;
            if (step % every == 0 || step == steps) {
                double heldOut = difference(critic, tail(r[1]), tail(f[1]))[0];
                curve.add(new WganResult.CurvePoint(step, sumEstimate / since,
                        constraint == Constraint.GRADIENT_PENALTY ? sumPenalty / since : Double.NaN, heldOut));
                sumEstimate = 0;
                sumPenalty = 0;
                since = 0;
            }
        }
        double[] diff = difference(critic, r[1], f[1]);
        if (!Double.isFinite(diff[0])) {
            throw diverged("its held-out value is " + diff[0]);
        }
        return new WganResult(diff[0], diff[1], constraint, r[0].rows(), f[0].rows(), r[1].rows(), f[1].rows(), steps,
                width, depth, batch, constraint == Constraint.GRADIENT_PENALTY ? lambda : clip, learningRate, seed,
                pixels ? "pixels" : "features", List.copyOf(curve));
    }

    private static InvalidInputException diverged(String what) {
        return new InvalidInputException("wgan's critic diverged (" + what + "); lower the learning rate (lr) or scale "
                + "the features down");
    }

    /** ReLU MLP d → width (× depth) → 1, initialised as torch.nn.Linear: weights and biases U(−1/√in, 1/√in). */
    private Sequential critic(int d, SplittableRandom rnd) {
        List<Layer> layers = new ArrayList<>();
        int in = d;
        for (int k = 0; k <= depth; k++) {
            int out = k == depth ? 1 : width;
            Linear l = new Linear(in, out).initUniform(rnd, (float) (1 / Math.sqrt(in)));
            float[] b = l.bias().value().data();
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) ((rnd.nextDouble() * 2 - 1) / Math.sqrt(in));
            }
            layers.add(l);
            if (k < depth) {
                layers.add(Activation.relu());
            }
            in = out;
        }
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /** The rows shuffled, as {training half, held-out half} (the held-out half gets the odd row). */
    private static FloatMatrix[] halves(FloatMatrix x, SplittableRandom rnd) {
        int n = x.rows();
        int d = x.cols();
        int[] order = Shuffle.permutation(n, rnd);
        int train = n / 2;
        FloatMatrix a = new FloatMatrix(train, d);
        FloatMatrix b = new FloatMatrix(n - train, d);
        for (int i = 0; i < n; i++) {
            System.arraycopy(x.data(), order[i] * d, (i < train ? a : b).data(), (i < train ? i : i - train) * d, d);
        }
        return new FloatMatrix[] {a, b};
    }

    /** {@code batch} rows of {@code from}, drawn with replacement, into {@code to} from row {@code at}. */
    private void drawRows(FloatMatrix from, FloatMatrix to, int at, SplittableRandom rnd) {
        int d = from.cols();
        for (int i = 0; i < batch; i++) {
            System.arraycopy(from.data(), rnd.nextInt(from.rows()) * d, to.data(), (at + i) * d, d);
        }
    }

    /** Row i of {@code out}: ε·real_i + (1 − ε)·fake_i with ε uniform in [0, 1], the pairs of {@code both}. */
    private void interpolate(FloatMatrix both, FloatMatrix out, SplittableRandom rnd) {
        int d = both.cols();
        float[] x = both.data();
        float[] o = out.data();
        for (int i = 0; i < batch; i++) {
            float e = (float) rnd.nextDouble();
            int real = i * d;
            int fake = (batch + i) * d;
            for (int k = 0; k < d; k++) {
                o[real + k] = e * x[real + k] + (1 - e) * x[fake + k];
            }
        }
    }

    /**
     * The penalty {@code λ/b·Σ (‖g_i‖ − 1)²} of the input gradients' rows, returned, and {@code g} overwritten with
     * its gradient {@code λ/b·2(‖g_i‖ − 1)·g_i/‖g_i‖} (0 for a zero row, as torch's norm backward gives).
     */
    private double penaltyAdjoint(FloatMatrix g) {
        int d = g.cols();
        float[] x = g.data();
        double penalty = 0;
        for (int i = 0; i < g.rows(); i++) {
            double sq = 0;
            for (int k = 0; k < d; k++) {
                sq += (double) x[i * d + k] * x[i * d + k];
            }
            double norm = Math.sqrt(sq);
            penalty += (norm - 1) * (norm - 1);
            float scale = norm > 0 ? (float) (lambda / g.rows() * 2 * (norm - 1) / norm) : 0f;
            for (int k = 0; k < d; k++) {
                x[i * d + k] *= scale;
            }
        }
        return lambda * penalty / g.rows();
    }

    private void clipAll(List<Parameter> params) {
        float c = (float) clip;
        for (Parameter p : params) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(-c, Math.min(c, v[i]));
            }
        }
    }

    /** The last {@link #CURVE_ROWS} rows (all when fewer). */
    private static FloatMatrix tail(FloatMatrix x) {
        int n = Math.min(CURVE_ROWS, x.rows());
        int d = x.cols();
        FloatMatrix t = new FloatMatrix(n, d);
        System.arraycopy(x.data(), (x.rows() - n) * d, t.data(), 0, n * d);
        return t;
    }

    /** {mean f(a) − mean f(b), its standard error}, f run in blocks of rows. */
    private static double[] difference(Sequential critic, FloatMatrix a, FloatMatrix b) {
        double[] ma = moments(critic, a);
        double[] mb = moments(critic, b);
        return new double[] {ma[0] - mb[0], Math.sqrt(ma[1] / a.rows() + mb[1] / b.rows())};
    }

    /** Mean and sample variance of f over the rows. */
    private static double[] moments(Sequential critic, FloatMatrix x) {
        int d = x.cols();
        int block = 4096;
        double sum = 0;
        double sq = 0;
        double shift = Double.NaN;  // the first value: sums of squares about it keep their digits
        for (int from = 0; from < x.rows(); from += block) {
            int n = Math.min(block, x.rows() - from);
            FloatMatrix part = new FloatMatrix(n, d);
            System.arraycopy(x.data(), from * d, part.data(), 0, n * d);
            for (float v : critic.forward(part, false).data()) {
                if (Double.isNaN(shift)) {
                    shift = v;
                }
                sum += v - shift;
                sq += (v - shift) * (v - shift);
            }
        }
        int n = x.rows();
        double mean = sum / n;
        double var = n > 1 ? Math.max(0, (sq - n * mean * mean) / (n - 1)) : 0;
        return new double[] {mean + shift, var};
    }

    /** The settings, each with its WGAN-GP default. */
    public static final class Builder {
        private int steps = 2000;
        private int width = 256;
        private int depth = 2;
        private int batch = 256;
        private double lambda = 10;
        private double clip = 0;
        private double learningRate = 0;
        private long seed;
        private boolean pixels;
        private int curvePoints = 20;

        private Builder() {
        }

        /** Critic updates (default 2,000). */
        public Builder steps(int steps) {
            this.steps = Checks.positive(steps, "steps");
            return this;
        }

        /** Units in each hidden layer (default 256). */
        public Builder width(int width) {
            this.width = Checks.positive(width, "width");
            return this;
        }

        /** Hidden layers (default 2). */
        public Builder depth(int depth) {
            this.depth = Checks.positive(depth, "depth");
            return this;
        }

        /** Rows of each side per update (default 256). */
        public Builder batch(int batch) {
            this.batch = Checks.positive(batch, "batch");
            return this;
        }

        /** The gradient penalty's weight λ (default 10). */
        public Builder lambda(double lambda) {
            this.lambda = Checks.nonNegative(lambda, "lambda", "");
            return this;
        }

        /** Weight clipping at ±c instead of the gradient penalty (WGAN); 0, the default, keeps the penalty. */
        public Builder clip(double clip) {
            this.clip = Checks.nonNegative(clip, "clip", " (0: gradient penalty)");
            return this;
        }

        /** The optimiser's learning rate; 0, the default, means 1e-4 (Adam, penalty) or 5e-5 (RMSProp, clipping). */
        public Builder learningRate(double learningRate) {
            this.learningRate = Checks.nonNegative(learningRate, "lr", " (0: the default)");
            return this;
        }

        /** The seed of the split, the initial weights, the minibatches and the interpolates. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Train on the samples' pixels rather than their features. */
        public Builder pixels(boolean pixels) {
            this.pixels = pixels;
            return this;
        }

        /** Points of the training curve (default 20). */
        public Builder curvePoints(int points) {
            this.curvePoints = Checks.positive(points, "curve_points");
            return this;
        }

        /**
         * @throws InvalidInputException for λ = 0 without clipping: an unconstrained critic's value grows without bound
         */
        public WassersteinCritic build() {
            if (clip == 0 && lambda == 0) {
                throw new InvalidInputException("lambda must be positive: with 0 and no clip the critic is unconstrained "
                        + "and its value grows with training, not with the distance (set clip > 0 for weight clipping)");
            }
            return new WassersteinCritic(this);
        }
    }
}
