package dev.ganeval.spark;

import dev.ganeval.core.linalg.CovarianceAccumulator;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What one partition (or a merge of several) contributes: the count, mean and scatter matrix of its features — Chan et
 * al.'s sufficient statistics, which merge exactly ({@link CovarianceAccumulator#merge}) — and the images it could not
 * use, counted, with the first few by path. At d = 2,048 the scatter is 2,048² doubles, 32 MiB; that, not the images, is
 * what travels to the driver. Where metrics need them, the feature rows and logits of its images come along with their
 * paths ({@link Rows}), to be put in path order on the driver. Immutable: {@link #merge} makes a new one.
 */
final class PartialStats implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How many skipped images are named; the rest are counted. */
    static final int NAMED_SKIPS = 10;

    final long images;
    final long skipped;
    /** {@code path: reason}, the first {@link #NAMED_SKIPS} in path order. */
    final List<String> firstSkipped;
    final long count;
    /** Null while no features were added. */
    final double[] mean;
    final double[] scatter;
    final String featureTag;
    /** The used images' rows, when asked for; else null. */
    final Rows rows;

    /**
     * The used images' paths with their feature rows and logits (row-major, {@code featureCols} and {@code logitCols} a
     * row; an array is null when not asked for). Concatenated by {@link #merge}; {@link #sorted} puts them in path order.
     */
    record Rows(String[] paths, float[] features, int featureCols, float[] logits, int logitCols) implements Serializable {
        Rows concat(Rows o) {
            if (featureCols != o.featureCols || logitCols != o.logitCols) {
                throw new IllegalStateException("partitions gave rows of " + featureCols + "/" + logitCols + " and " + o.featureCols
                        + "/" + o.logitCols + " values");
            }
            String[] p = java.util.Arrays.copyOf(paths, paths.length + o.paths.length);
            System.arraycopy(o.paths, 0, p, paths.length, o.paths.length);
            return new Rows(p, join(features, o.features), featureCols, join(logits, o.logits), logitCols);
        }

        private static float[] join(float[] a, float[] b) {
            if (a == null) {
                return null;
            }
            float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        /** The same rows ordered by path (paths are unique: one row per file). */
        Rows sorted() {
            Integer[] order = new Integer[paths.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparing(i -> paths[i]));
            String[] p = new String[paths.length];
            float[] f = features == null ? null : new float[features.length];
            float[] l = logits == null ? null : new float[logits.length];
            for (int i = 0; i < order.length; i++) {
                int from = order[i];
                p[i] = paths[from];
                if (f != null) {
                    System.arraycopy(features, from * featureCols, f, i * featureCols, featureCols);
                }
                if (l != null) {
                    System.arraycopy(logits, from * logitCols, l, i * logitCols, logitCols);
                }
            }
            return new Rows(p, f, featureCols, l, logitCols);
        }
    }

    PartialStats(long images, long skipped, List<String> firstSkipped, CovarianceAccumulator acc, String featureTag, Rows rows) {
        this(images, skipped, firstSkipped, acc == null ? 0 : acc.count(), acc == null || acc.count() == 0 ? null : acc.mean(),
                acc == null || acc.count() == 0 ? null : acc.scatter(), featureTag, rows);
    }

    PartialStats(long images, long skipped, List<String> firstSkipped, CovarianceAccumulator acc, String featureTag) {
        this(images, skipped, firstSkipped, acc, featureTag, null);
    }

    private PartialStats(long images, long skipped, List<String> firstSkipped, long count, double[] mean, double[] scatter,
                         String featureTag, Rows rows) {
        this.images = images;
        this.skipped = skipped;
        this.firstSkipped = List.copyOf(firstSkipped);
        this.count = count;
        this.mean = mean;
        this.scatter = scatter;
        this.featureTag = featureTag;
        this.rows = rows;
    }

    /** Nothing: the identity of {@link #merge}. */
    static PartialStats empty() {
        return new PartialStats(0, 0, List.of(), null, null);
    }

    /** The union of the two row sets and skip lists. */
    PartialStats merge(PartialStats other) {
        Objects.requireNonNull(other, "other");
        if (featureTag != null && other.featureTag != null && !featureTag.equals(other.featureTag)) {
            // Executors that loaded different files under one name (a stale copy) must not be averaged together.
            throw new IllegalStateException("partitions gave features of two networks: " + featureTag + " and " + other.featureTag);
        }
        TreeSet<String> named = new TreeSet<>(firstSkipped);
        named.addAll(other.firstSkipped);
        List<String> first = new ArrayList<>(named).subList(0, Math.min(NAMED_SKIPS, named.size()));
        long n = count + other.count;
        double[] m;
        double[] s;
        if (other.count == 0) {
            m = mean;
            s = scatter;
        } else if (count == 0) {
            m = other.mean;
            s = other.scatter;
        } else {
            if (mean.length != other.mean.length) {
                throw new IllegalStateException("partitions gave " + mean.length + "- and " + other.mean.length + "-dimensional features");
            }
            CovarianceAccumulator acc = CovarianceAccumulator.of(count, mean, scatter);
            acc.merge(CovarianceAccumulator.of(other.count, other.mean, other.scatter));
            m = acc.mean();
            s = acc.scatter();
        }
        return new PartialStats(images + other.images, skipped + other.skipped, first, n, m, s,
                featureTag != null ? featureTag : other.featureTag,
                rows == null ? other.rows : other.rows == null ? rows : rows.concat(other.rows));
    }

    /** The accumulated rows, or null when there are none. */
    CovarianceAccumulator accumulator() {
        return count == 0 ? null : CovarianceAccumulator.of(count, mean, scatter);
    }
}
