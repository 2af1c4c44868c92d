package dev.ganeval.metrics;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Not a distance but the statistics themselves: the mean and covariance of the generated side's features, as the
 * evaluation accumulates them batch by batch, for saving as pytorch-fid's {@code .npz} ({@code ganeval stats}) and
 * scoring later against any number of sets.
 */
public final class FeatureStatistics implements Metric {
    /** The statistics as a score: its value is the row count. */
    public record Result(GaussianStats stats) implements Score {
        @Override
        public String metric() {
            return "statistics";
        }

        @Override
        public double value() {
            return stats.count();
        }

        @Override
        public Map<String, Object> settings() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("n", stats.count());
            s.put("d", stats.dim());
            return s;
        }
    }

    @Override
    public String name() {
        return "statistics";
    }

    @Override
    public Set<Input> inputs() {
        return EnumSet.of(Input.FAKE_STATISTICS);
    }

    @Override
    public Result compute(MetricInputs inputs) {
        return new Result(inputs.fakeStatistics());
    }
}
