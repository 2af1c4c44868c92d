package dev.ganeval.core.gan;

import dev.ganeval.core.Discriminator;
import dev.ganeval.core.Generator;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.nn.Activation;
import dev.ganeval.core.nn.Dropout;
import dev.ganeval.core.nn.Layer;
import dev.ganeval.core.nn.Linear;
import dev.ganeval.core.nn.Maxout;
import dev.ganeval.core.nn.Parameter;
import dev.ganeval.core.nn.ReseedableRandom;
import dev.ganeval.core.nn.Sequential;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The MLP GAN of Goodfellow et al. (2014), built from a {@link GanConfig}: a ReLU/sigmoid generator and a
 * maxout discriminator with dropout that outputs a logit. It is a {@link Generator} (of the configured
 * {@code noise}) and a {@link Discriminator} (sigmoid of the logit, dropout off).
 */
public final class ReferenceGan implements Generator, Discriminator {
    private final GanConfig config;
    private final Sequential generator;
    private final Sequential discriminator;
    private final ReseedableRandom dropoutRandom;

    /**
     * A freshly initialised GAN: weights uniform in the configured ranges from the config's seed; the generator's
     * output bias set to {@code logit(mean pixel)} of the training data (clipped to [1e-7, 1 − 1e-7]) when
     * {@code pixelMeans} is given, else 0.
     */
    public ReferenceGan(GanConfig config, double[] pixelMeans) {
        this.config = Objects.requireNonNull(config, "config");
        SplittableRandom init = new SplittableRandom(config.seed());
        this.dropoutRandom = new ReseedableRandom(config.seed());
        List<Layer> g = new ArrayList<>();
        int width = config.noiseDim();
        for (int h : config.generatorHidden()) {
            g.add(new Linear(width, h).initUniform(init, config.generatorInit()));
            g.add(Activation.relu());
            width = h;
        }
        Linear out = new Linear(width, config.dataDim()).initUniform(init, config.generatorInit());
        if (pixelMeans != null) {
            if (pixelMeans.length != config.dataDim()) {
                throw new IllegalArgumentException("pixel means have " + pixelMeans.length + " entries, data has "
                        + config.dataDim() + " dimensions");
            }
            float[] b = out.bias().value().data();
            for (int j = 0; j < b.length; j++) {
                double p = Math.min(1 - 1e-7, Math.max(1e-7, pixelMeans[j]));
                b[j] = (float) Math.log(p / (1 - p));
            }
        }
        g.add(out);
        g.add(Activation.sigmoid());
        this.generator = new Sequential(g.toArray(new Layer[0]));

        List<Layer> d = new ArrayList<>();
        width = config.dataDim();
        float keep = config.keepInput();
        for (int units : config.discriminatorUnits()) {
            d.add(new Dropout(keep, dropoutRandom));
            d.add(new Maxout(width, units, config.pieces()).initUniform(init, config.discriminatorInit()));
            width = units;
            keep = config.keepHidden();
        }
        d.add(new Dropout(keep, dropoutRandom));
        d.add(new Linear(width, 1).initUniform(init, config.discriminatorInit()));
        this.discriminator = new Sequential(d.toArray(new Layer[0]));
    }

    public GanConfig config() {
        return config;
    }

    public Sequential generatorNetwork() {
        return generator;
    }

    public Sequential discriminatorNetwork() {
        return discriminator;
    }

    /** Where the discriminator's dropout masks come from; the trainer reseeds it every epoch. */
    ReseedableRandom dropoutRandom() {
        return dropoutRandom;
    }

    /** Generator parameters, then discriminator parameters: the order checkpoints use. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(generator.parameters());
        all.addAll(discriminator.parameters());
        return all;
    }

    /** {@code n × noiseDim} draws of the configured noise. */
    public FloatMatrix noise(int n, RandomGenerator rng) {
        FloatMatrix z = new FloatMatrix(n, config.noiseDim());
        config.noise().fill(z.data(), rng);
        return z;
    }

    @Override
    public FloatMatrix sample(int n, RandomGenerator rng) {
        return generator.forward(noise(n, rng), false);
    }

    @Override
    public float[] probabilityReal(FloatMatrix samples) {
        FloatMatrix logits = discriminator.forward(samples, false);
        float[] p = new float[samples.rows()];
        for (int i = 0; i < p.length; i++) {
            double z = logits.get(i, 0);
            p[i] = (float) (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
        }
        return p;
    }
}
