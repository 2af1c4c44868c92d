package dev.ganeval.metrics;

import dev.ganeval.core.Discriminator;
import dev.ganeval.core.Progress;
import dev.ganeval.core.linalg.FloatMatrix;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the pipeline hands a {@link Metric}: each {@link Metric.Input} it computed, by kind. Asking for an input that
 * is not there is a programming error in the metric (it did not declare it) and fails with the input's name.
 */
public final class MetricInputs {
    private final Map<Metric.Input, Object> values;
    private final Progress progress;

    private MetricInputs(Map<Metric.Input, Object> values, Progress progress) {
        this.values = values;
        this.progress = progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the inputs; a null value is left out. */
    public static final class Builder {
        private final Map<Metric.Input, Object> values = new EnumMap<>(Metric.Input.class);
        private Progress progress = Progress.NONE;

        public Builder statistics(boolean real, GaussianStats stats) {
            return put(real ? Metric.Input.REAL_STATISTICS : Metric.Input.FAKE_STATISTICS, stats);
        }

        public Builder features(boolean real, FloatMatrix features) {
            return put(real ? Metric.Input.REAL_FEATURES : Metric.Input.FAKE_FEATURES, features);
        }

        public Builder fakeLogits(FloatMatrix logits) {
            return put(Metric.Input.FAKE_LOGITS, logits);
        }

        public Builder pixels(boolean real, FloatMatrix pixels) {
            return put(real ? Metric.Input.REAL_PIXELS : Metric.Input.FAKE_PIXELS, pixels);
        }

        public Builder discriminator(Discriminator d) {
            return put(Metric.Input.DISCRIMINATOR, d);
        }

        /** Where a long metric (the Parzen window) reports its rows done. */
        public Builder progress(Progress progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        private Builder put(Metric.Input input, Object value) {
            if (value != null) {
                values.put(input, value);
            }
            return this;
        }

        public MetricInputs build() {
            return new MetricInputs(new EnumMap<>(values), progress);
        }
    }

    /** Whether {@code input} is present. */
    public boolean has(Metric.Input input) {
        return values.containsKey(input);
    }

    public GaussianStats realStatistics() {
        return get(Metric.Input.REAL_STATISTICS, GaussianStats.class);
    }

    public GaussianStats fakeStatistics() {
        return get(Metric.Input.FAKE_STATISTICS, GaussianStats.class);
    }

    public FloatMatrix realFeatures() {
        return get(Metric.Input.REAL_FEATURES, FloatMatrix.class);
    }

    public FloatMatrix fakeFeatures() {
        return get(Metric.Input.FAKE_FEATURES, FloatMatrix.class);
    }

    public FloatMatrix fakeLogits() {
        return get(Metric.Input.FAKE_LOGITS, FloatMatrix.class);
    }

    public FloatMatrix realPixels() {
        return get(Metric.Input.REAL_PIXELS, FloatMatrix.class);
    }

    public FloatMatrix fakePixels() {
        return get(Metric.Input.FAKE_PIXELS, FloatMatrix.class);
    }

    public Discriminator discriminator() {
        return get(Metric.Input.DISCRIMINATOR, Discriminator.class);
    }

    public Progress progress() {
        return progress;
    }

    private <T> T get(Metric.Input input, Class<T> type) {
        Object v = values.get(input);
        if (v == null) {
            throw new IllegalStateException(input + " was not computed; the metric must declare it in inputs()");
        }
        return type.cast(v);
    }
}
