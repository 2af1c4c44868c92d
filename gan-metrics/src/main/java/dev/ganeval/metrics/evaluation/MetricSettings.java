package dev.ganeval.metrics.evaluation;

import dev.ganeval.core.InvalidInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one metric as a registry factory reads them: values given as numbers, arrays or text (from a
 * command line), each read with its default. Every key a factory reads is recorded, so a key nobody read — a typo —
 * is refused with the metric's known keys ({@link #requireAllRead}).
 */
public final class MetricSettings {
    private final String metric;
    private final Map<String, Object> given;
    private final long defaultSeed;
    private final Set<String> read = new LinkedHashSet<>();
    /** The default of each key read, as the factory gave it. */
    private final Map<String, Object> defaults = new LinkedHashMap<>();

    /**
     * @param metric      the metric's registry name, for messages
     * @param given       settings by key; values are numbers, {@code double[]} or text
     * @param defaultSeed the evaluation's seed, for metrics whose {@code seed} is not given
     */
    public MetricSettings(String metric, Map<String, ?> given, long defaultSeed) {
        this.metric = metric;
        this.given = Collections.unmodifiableMap(new LinkedHashMap<>(given));
        this.defaultSeed = defaultSeed;
    }

    /** Whether the factory read {@code key} (given or not). */
    boolean wasRead(String key) {
        return read.contains(key);
    }

    /** Whether {@code key} was given (it is recorded as read). */
    public boolean has(String key) {
        read.add(key);
        return given.containsKey(key);
    }

    public int integer(String key, int fallback) {
        return value(key, fallback, "a whole number", v -> {
            long l = whole(v);
            if (l != (int) l) {
                throw new NumberFormatException();
            }
            return (int) l;
        });
    }

    public long longValue(String key, long fallback) {
        return value(key, fallback, "a whole number", MetricSettings::whole);
    }

    public double real(String key, double fallback) {
        return value(key, fallback, "a finite number", v -> {
            double d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().strip());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        });
    }

    /** A parser that refuses what it cannot take with a {@link NumberFormatException}. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(Object value);
    }

    /** The setting {@code key} parsed, or {@code fallback} when it was not given; records the key and its default. */
    private <T> T value(String key, T fallback, String what, Parser<T> parser) {
        read.add(key);
        defaults.putIfAbsent(key, fallback);
        Object v = given.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parser.parse(v);
        } catch (NumberFormatException e) {
            throw bad(key, v, what);
        }
    }

    private static long whole(Object v) {
        return v instanceof Number n ? checkedWhole(n) : Long.parseLong(v.toString().strip());
    }

    /** A list of numbers: a {@code double[]}, or text with commas ({@code 0.1,0.2}). */
    public double[] reals(String key, double[] fallback) {
        read.add(key);
        defaults.put(key, fallback.clone());
        Object v = given.get(key);
        if (v == null) {
            return fallback.clone();
        }
        if (v instanceof double[] a) {
            return a.clone();
        }
        List<Double> out = new ArrayList<>();
        try {
            for (String part : v.toString().split(",")) {
                out.add(Double.parseDouble(part.strip()));
            }
        } catch (NumberFormatException e) {
            throw bad(key, v, "numbers separated by commas");
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The metric's {@code seed}, or the evaluation's. */
    public long seed() {
        defaults.put("seed", "the evaluation's seed");
        return longValue("seed", defaultSeed);
    }

    /** The keys the factory read with their defaults (a key read only through {@link #has} has none: null). */
    Map<String, Object> defaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : read) {
            out.put(k, defaults.get(k));
        }
        return out;
    }

    /**
     * Refuses the given keys that the factory did not read: they would be ignored in silence.
     *
     * @throws InvalidInputException naming the key and the ones the metric has
     */
    public void requireAllRead() {
        for (String key : given.keySet()) {
            if (!read.contains(key)) {
                throw new InvalidInputException(metric + " has no setting '" + key + "'; "
                        + (read.isEmpty() ? "it takes none" : "its settings are " + String.join(", ", read)));
            }
        }
    }

    private static long checkedWhole(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Math.abs(d) > 9.0e15) {
                throw new NumberFormatException();
            }
            return (long) d;
        }
        return n.longValue();
    }

    private InvalidInputException bad(String key, Object v, String what) {
        return new InvalidInputException(String.format(Locale.ROOT, "%s's setting %s must be %s, got '%s'", metric, key, what, v));
    }
}
