package dev.ganeval.core.gan;

import dev.ganeval.core.sampling.Noise;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference GAN's configuration. {@link #mnistPaper(long)} is Goodfellow et al. (2014)'s MNIST model:
 * z ∈ R¹⁰⁰ uniform on ±√3; G 100 → ReLU 1200 → ReLU 1200 → sigmoid 784 (weights U(±0.05)); D 784 → maxout
 * 240×5 → maxout 240×5 → sigmoid 1 (weights U(±0.005)), inverted dropout keeping 0.8 of the pixels and 0.5 of
 * the hidden inputs; SGD on batches of 100 real + 100 fake, lr 0.1 divided by 1.000004 every update (floor
 * 1e-6), momentum rising linearly from 0.5 in the first epoch to 0.7 in the 250th and after
 * ({@link #withUpdateRule(UpdateRule)}: Adam instead).
 *
 * <p>The ramp's epochs count from 0, as train.log does, so the paper's is {@code (0, 249)}: pylearn2's
 * {@code MomentumAdjustor(start=1, saturate=250)} counts its calls, and the first comes before the first epoch, so
 * epoch e (from 0) trains with {@code 0.5 + 0.2·min(e, 249)/249}.
 *
 * <p>{@code noise} is what G is trained and sampled with: the paper's uniform ±√3 by default, or e.g.
 * {@link Noise#normal()} through {@link #withNoise(Noise)} (the version of the original {@code mnist.yaml} without a
 * {@code noise} line fell back to standard normal noise).
 */
public record GanConfig(int noiseDim, Noise noise, int[] generatorHidden, int dataDim, float generatorInit,
                        int[] discriminatorUnits, int pieces, float discriminatorInit, float keepInput,
                        float keepHidden, int batchSize, double learningRate, double decay, double minLearningRate,
                        double momentumStart, double momentumEnd, int rampStartEpoch, int rampEndEpoch, long seed,
                        UpdateRule updateRule) {
    public GanConfig {
        java.util.Objects.requireNonNull(updateRule, "updateRule");
        generatorHidden = generatorHidden.clone();
        discriminatorUnits = discriminatorUnits.clone();
        java.util.Objects.requireNonNull(noise, "noise");
        requirePositive("the noise size", noiseDim);
        requirePositive("the data size", dataDim);
        requirePositive("the number of maxout pieces", pieces);
        requirePositive("the batch size", batchSize);
        if (Arrays.stream(generatorHidden).anyMatch(h -> h < 1) || Arrays.stream(discriminatorUnits).anyMatch(u -> u < 1)) {
            throw new IllegalArgumentException("layer widths must be positive, got generator " + Arrays.toString(generatorHidden)
                    + ", discriminator " + Arrays.toString(discriminatorUnits));
        }
        if (!(generatorInit > 0 && generatorInit < Float.POSITIVE_INFINITY && discriminatorInit > 0
                && discriminatorInit < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("initial weight ranges must be positive and finite, got " + generatorInit + ", "
                    + discriminatorInit);
        }
        if (!(keepInput > 0 && keepInput <= 1 && keepHidden > 0 && keepHidden <= 1)) {
            throw new IllegalArgumentException("dropout keep probabilities must be in (0, 1], got " + keepInput + ", " + keepHidden);
        }
        if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
        }
        if (!(decay >= 1 && decay < Double.POSITIVE_INFINITY) || !(minLearningRate >= 0 && minLearningRate <= learningRate)) {
            throw new IllegalArgumentException("the learning-rate decay must be >= 1 (1: constant) and its floor between 0 and the "
                    + "learning rate, got " + decay + ", " + minLearningRate);
        }
        if (!(momentumStart >= 0 && momentumStart < 1 && momentumEnd >= 0 && momentumEnd < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentumStart + " -> " + momentumEnd);
        }
        if (rampStartEpoch < 0 || rampEndEpoch < rampStartEpoch) {
            throw new IllegalArgumentException("the momentum ramp's epochs must satisfy 0 <= start <= end, got " + rampStartEpoch
                    + "-" + rampEndEpoch);
        }
    }

    @Override
    public int[] generatorHidden() {
        return generatorHidden.clone();
    }

    @Override
    public int[] discriminatorUnits() {
        return discriminatorUnits.clone();
    }

    /** The 2014 paper's MNIST configuration. */
    public static GanConfig mnistPaper(long seed) {
        return new GanConfig(100, Noise.uniform(Math.sqrt(3)), new int[] {1200, 1200}, 784, 0.05f, new int[] {240, 240}, 5, 0.005f,
                0.8f, 0.5f, 100, 0.1, 1.000004, 1e-6, 0.5, 0.7, 0, 249, seed, UpdateRule.SGD);
    }

    /** The same with other layer sizes (for tests and other data). */
    public GanConfig withSizes(int noiseDim, int[] generatorHidden, int dataDim, int[] discriminatorUnits, int pieces) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    public GanConfig withBatchSize(int batchSize) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    /** The same with another learning-rate schedule: {@code learningRate} divided by {@code decay} every update, down to the floor. */
    public GanConfig withSchedule(double learningRate, double decay, double minLearningRate) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    /** The same with another momentum ramp: linear from {@code start} to {@code end} between two epochs (equal: constant). */
    public GanConfig withMomentum(double start, double end, int rampStartEpoch, int rampEndEpoch) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                start, end, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    /** The same with other dropout keep probabilities for D's input pixels and its hidden inputs (1: no dropout). */
    public GanConfig withDropout(float keepInput, float keepHidden) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    /** The same with other initial weight ranges, U(±generatorInit) and U(±discriminatorInit). */
    public GanConfig withInit(float generatorInit, float discriminatorInit) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    /** The same trained and sampled with other noise. */
    public GanConfig withNoise(Noise noise) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    /**
     * The same updated by another rule: {@link UpdateRule#SGD} (the paper's) or Adam, which ignores the momentum ramp
     * and uses the same learning-rate schedule.
     */
    public GanConfig withUpdateRule(UpdateRule updateRule) {
        return new GanConfig(noiseDim, noise, generatorHidden, dataDim, generatorInit, discriminatorUnits, pieces,
                discriminatorInit, keepInput, keepHidden, batchSize, learningRate, decay, minLearningRate,
                momentumStart, momentumEnd, rampStartEpoch, rampEndEpoch, seed, updateRule);
    }

    private static final String UPDATE_RULE = "update_rule";

    /**
     * A setting of a {@link #describe()} map, or its value where the description leaves it out: {@code update_rule}
     * is only written when it is not the paper's SGD (so SGD runs describe themselves as before Adam existed). Null
     * for keys it does not know.
     */
    static String setting(Map<String, String> description, String key) {
        String value = description.get(key);
        return value != null || !key.equals(UPDATE_RULE) ? value : UpdateRule.SGD.toString();
    }

    /** Every setting as text, in a fixed order: written into checkpoints and compared when resuming. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("noise_dim", Integer.toString(noiseDim));
        m.put("noise", noise.toString());
        m.put("generator_hidden", Arrays.toString(generatorHidden));
        m.put("data_dim", Integer.toString(dataDim));
        m.put("generator_init", Float.toString(generatorInit));
        m.put("discriminator_units", Arrays.toString(discriminatorUnits));
        m.put("pieces", Integer.toString(pieces));
        m.put("discriminator_init", Float.toString(discriminatorInit));
        m.put("keep_input", Float.toString(keepInput));
        m.put("keep_hidden", Float.toString(keepHidden));
        m.put("batch_size", Integer.toString(batchSize));
        m.put("learning_rate", Double.toString(learningRate));
        m.put("decay", Double.toString(decay));
        m.put("min_learning_rate", Double.toString(minLearningRate));
        m.put("momentum", momentumStart + "->" + momentumEnd + " epochs " + rampStartEpoch + "-" + rampEndEpoch);
        m.put("seed", Long.toString(seed));
        // Only when it is not the paper's, so SGD runs describe themselves as they did before Adam existed.
        if (updateRule.kind() != UpdateRule.Kind.SGD) {
            m.put(UPDATE_RULE, updateRule.toString());
        }
        return m;
    }

    /**
     * The configuration {@link #describe()} produced: how a checkpoint says what it was trained with.
     *
     * @throws IllegalArgumentException if an entry is missing or malformed
     */
    public static GanConfig fromDescription(Map<String, String> d) {
        try {
            // "0.5->0.7 epochs 0-249"
            String m = d.get("momentum");
            String[] ramp = m.substring(m.indexOf(" epochs ") + 8).split("-");
            double mStart = Double.parseDouble(m.substring(0, m.indexOf("->")));
            double mEnd = Double.parseDouble(m.substring(m.indexOf("->") + 2, m.indexOf(" epochs ")));
            GanConfig c = new GanConfig(Integer.parseInt(d.get("noise_dim")), Noise.parse(d.get("noise")),
                    ints(d.get("generator_hidden")), Integer.parseInt(d.get("data_dim")), Float.parseFloat(d.get("generator_init")),
                    ints(d.get("discriminator_units")), Integer.parseInt(d.get("pieces")),
                    Float.parseFloat(d.get("discriminator_init")), Float.parseFloat(d.get("keep_input")),
                    Float.parseFloat(d.get("keep_hidden")), Integer.parseInt(d.get("batch_size")),
                    Double.parseDouble(d.get("learning_rate")), Double.parseDouble(d.get("decay")),
                    Double.parseDouble(d.get("min_learning_rate")), mStart, mEnd, Integer.parseInt(ramp[0]),
                    Integer.parseInt(ramp[1]), Long.parseLong(d.get("seed")),
                    UpdateRule.parse(setting(d, UPDATE_RULE)));
            if (!c.describe().equals(d)) {
                throw new IllegalArgumentException("configuration does not round-trip: " + d);
            }
            return c;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed GAN configuration " + d + ": " + e.getMessage(), e);
        }
    }

    private static int[] ints(String s) {
        String body = s.trim().replace("[", "").replace("]", "").trim();
        if (body.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(body.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GanConfig c && c.describe().equals(describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return "GanConfig" + describe();
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }
}
