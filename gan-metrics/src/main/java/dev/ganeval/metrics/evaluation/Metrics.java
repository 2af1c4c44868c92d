package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.metrics.ClassifierTwoSampleTest;
import dev.ganeval.metrics.Cmmd;
import dev.ganeval.metrics.FidInfinity;
import dev.ganeval.metrics.FrechetDistance;
import dev.ganeval.metrics.ImprovedPrecisionRecall;
import dev.ganeval.metrics.InceptionScore;
import dev.ganeval.metrics.KernelInceptionDistance;
import dev.ganeval.metrics.Metric;
import dev.ganeval.metrics.ParzenProtocol;
import dev.ganeval.metrics.ParzenWindow;
import dev.ganeval.metrics.PrecisionRecall;
import dev.ganeval.metrics.RealFakeRatio;
import dev.ganeval.metrics.VendiScore;
import dev.ganeval.metrics.WassersteinCritic;
import dev.ganeval.metrics.WassersteinDistance;
import dev.ganeval.metrics.WassersteinDistance.Method;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metrics by name, each with the settings it takes and their defaults. A new metric is one {@link Metric} class
 * and one line in the static block below; the CLI and {@link Evaluation} know metrics only through here.
 */
public final class Metrics {
    /** Makes a metric from its settings, reading each with its default. */
    @FunctionalInterface
    public interface Factory {
        Metric create(MetricSettings settings);
    }

    /** A registered metric: its name, one line on what it is, and its factory. */
    public record Entry(String name, String description, Factory factory) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        add("fid", "Fréchet distance of Gaussian fits to the features (Heusel et al. 2017), pytorch-fid's definition",
                s -> FrechetDistance.create());
        add("fd", "Fréchet distance of Gaussian fits to the features of any network, labelled FD (FD_DINOv2 is fd with "
                + "--network dinov2-vitl14); the same computation as fid", s -> FrechetDistance.fd());
        add("kid", "kernel distance, unbiased MMD² with a cubic kernel over subsets (Bińkowski et al. 2018)",
                s -> KernelInceptionDistance.builder().subsets(s.integer("subsets", 100))
                        .subsetSize(s.integer("subset_size", 1000)).seed(s.seed()).build());
        add("is", "Inception Score of the generated side's class logits (Salimans et al. 2016)",
                s -> InceptionScore.builder().splits(s.integer("splits", 10)).build());
        add("prdc", "precision and recall (Kynkäänniemi et al. 2019), density and coverage (Naeem et al. 2020)",
                s -> PrecisionRecall.of(s.integer("k_precision_recall", 3), s.integer("k_density_coverage", 5)));
        add("pr", "improved precision and recall (Kynkäänniemi et al. 2019) as StyleGAN's metric code: k = 3, ball "
                + "boundaries inside", s -> ImprovedPrecisionRecall.of(s.integer("k", 3)));
        add("cmmd", "CMMD: MMD with a Gaussian kernel (σ = 10, ×1000), biased estimator as the reference code "
                + "(Jayasumana et al. 2024; on CLIP embeddings in the paper)",
                s -> Cmmd.of(s.real("sigma", Cmmd.SIGMA), s.real("scale", Cmmd.SCALE)));
        add("wasserstein", "sliced Wasserstein distance of the features",
                s -> WassersteinDistance.of(Method.SLICED, s.integer("p", 2), s.integer("projections", 50), s.seed(), 1));
        add("wasserstein-exact", "exact Wasserstein distance (optimal transport) of the features, for up to a few thousand "
                + "rows", s -> WassersteinDistance.of(Method.EXACT, s.integer("p", 2), 1, 0, 1));
        add("wasserstein-sinkhorn", "entropic optimal transport cost of the features (biased by the regulariser)",
                s -> WassersteinDistance.of(Method.SINKHORN, s.integer("p", 2), 1, 0, s.real("reg", 0.1)));
        add("wasserstein-gaussian", "W2 between Gaussian fits to the features (the square root of FID)",
                s -> WassersteinDistance.of(Method.GAUSSIAN, 2, 1, 0, 1));
        add("fid-inf", "FID extrapolated to infinitely many generated samples (Chong and Forsyth 2020); "
                + "min_samples defaults to 5000, or half the generated rows when there are fewer",
                s -> (s.has("min_samples") ? FidInfinity.builder().minSamples(s.integer("min_samples", 0)) : FidInfinity.builder())
                        .points(s.integer("points", FidInfinity.DEFAULT_POINTS)).seed(s.seed()).build());
        add("vendi", "Vendi score: the effective number of distinct generated samples (Friedman and Dieng 2023), cosine "
                + "similarity of the features", s -> VendiScore.builder().order(s.real("q", 1)).build());
        add("c2st", "classifier two-sample test: held-out accuracy of a logistic regression telling the sides apart "
                        + "(Lopez-Paz and Oquab 2017)",
                s -> ClassifierTwoSampleTest.of(s.seed(), s.real("l2", 1e-3), s.integer("iterations", 300),
                        s.real("confidence", 0.95)));
        add("wgan", "W1 as WGAN measures it: a ReLU MLP critic trained on half of each side (gradient penalty λ = 10, "
                        + "Adam; or weight clipping with clip > 0, RMSProp), its E_real f − E_fake f on the other half "
                        + "(Gulrajani et al. 2017); pixels=1 trains on pixels instead of features",
                s -> WassersteinCritic.builder().steps(s.integer("steps", 2000)).width(s.integer("width", 256))
                        .depth(s.integer("depth", 2)).batch(s.integer("batch", 256)).lambda(s.real("lambda", 10))
                        .clip(s.real("clip", 0)).learningRate(s.real("lr", 0)).pixels(flag(s, "pixels"))
                        .curvePoints(s.integer("curve_points", 20)).seed(s.seed()).build());
        add("parzen", "Parzen-window log-likelihood of the real samples under the generated ones, σ chosen on the first "
                        + "tenth of the real rows (Goodfellow et al. 2014); one σ in sigmas is used as given",
                s -> ParzenWindow.builder().sigmas(s.reals("sigmas", ParzenWindow.defaultSigmas())).build());
        add("parzen-mnist", "the 2014 paper's Parzen protocol: MNIST test under the generated samples, σ chosen on "
                        + "train[50000:]; no real side",
                s -> ParzenProtocol.mnist().withSigmas(s.reals("sigmas", ParzenWindow.defaultSigmas()))
                        .withValidationRows(s.integer("validation_rows", ParzenProtocol.PAPER_VALIDATION_ROWS)));
        add("ratio", "how often a discriminator takes generated samples for real, against real ones", s -> RealFakeRatio.of(s.real("threshold", 0.5), s.real("confidence", 0.95)));
    }

    private Metrics() {}

    /** A 0/1 setting. */
    private static boolean flag(MetricSettings s, String key) {
        int v = s.integer(key, 0);
        if (v != 0 && v != 1) {
            throw new InvalidInputException(key + " must be 0 or 1, got " + v);
        }
        return v == 1;
    }

    private static void add(String name, String description, Factory factory) {
        REGISTRY.put(name, new Entry(name, description, factory));
    }

    /** The registered names, in the order above. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    /** Every registered metric. */
    public static Iterable<Entry> entries() {
        return Collections.unmodifiableCollection(REGISTRY.values());
    }

    /**
     * The metric {@code name} with its settings.
     *
     * @throws InvalidInputException for an unknown name (listing the known ones), a setting the metric does not have,
     *                               or a value out of range
     */
    public static Metric create(String name, Map<String, ?> settings, long defaultSeed) {
        Objects.requireNonNull(name, "name");
        Entry e = REGISTRY.get(name);
        if (e == null) {
            throw new InvalidInputException("unknown metric '" + name + "'; known: " + String.join(", ", names()));
        }
        MetricSettings s = new MetricSettings(name, settings, defaultSeed);
        Metric m;
        try {
            m = e.factory().create(s);
        } catch (InvalidInputException ex) {
            // The metric's own check names the setting ("subsets must be at least 1"); say whose it is.
            throw ex.file().isPresent() || ex.getMessage().startsWith(name) ? ex
                    : new InvalidInputException((java.nio.file.Path) null, name + "'s " + ex.getMessage(), ex);
        }
        s.requireAllRead();
        return m;
    }

    /** What the named metrics need together, with their default settings. */
    public static Set<Metric.Input> inputsOf(java.util.Collection<String> names) {
        Set<Metric.Input> all = java.util.EnumSet.noneOf(Metric.Input.class);
        for (String n : names) {
            all.addAll(create(n, Map.of(), 0).inputs());
        }
        return all;
    }

    /** The registered metrics that need {@code input} with their default settings ({@code FAKE_LOGITS}: is), in order. */
    public static java.util.List<String> takingInput(Metric.Input input) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Entry e : REGISTRY.values()) {
            if (create(e.name(), Map.of(), 0).inputs().contains(input)) {
                out.add(e.name());
            }
        }
        return out;
    }

    /** The registered metrics that take the setting {@code key} ({@code seed}: kid, wasserstein, c2st), in order. */
    public static java.util.List<String> takingSetting(String key) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Entry e : REGISTRY.values()) {
            MetricSettings s = new MetricSettings(e.name(), Map.of(), 0);
            e.factory().create(s);
            if (s.wasRead(key)) {
                out.add(e.name());
            }
        }
        return out;
    }

    /** The settings {@code name} takes, each with its default (null where it has none of its own). */
    public static Map<String, Object> settingsOf(String name) {
        Entry e = REGISTRY.get(name);
        if (e == null) {
            throw new InvalidInputException("unknown metric '" + name + "'; known: " + String.join(", ", names()));
        }
        MetricSettings s = new MetricSettings(name, Map.of(), 0);
        e.factory().create(s);
        return s.defaults();
    }

    /** Whether {@code name} is registered. */
    public static boolean known(String name) {
        return REGISTRY.containsKey(name);
    }
}
