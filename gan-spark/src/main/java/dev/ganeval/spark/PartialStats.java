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
 * what travels to the driver. Immutable: {@link #merge} makes a new one.
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

    PartialStats(long images, long skipped, List<String> firstSkipped, CovarianceAccumulator acc, String featureTag) {
        this(images, skipped, firstSkipped, acc == null ? 0 : acc.count(), acc == null || acc.count() == 0 ? null : acc.mean(),
                acc == null || acc.count() == 0 ? null : acc.scatter(), featureTag);
    }

    private PartialStats(long images, long skipped, List<String> firstSkipped, long count, double[] mean, double[] scatter,
                         String featureTag) {
        this.images = images;
        this.skipped = skipped;
        this.firstSkipped = List.copyOf(firstSkipped);
        this.count = count;
        this.mean = mean;
        this.scatter = scatter;
        this.featureTag = featureTag;
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
                featureTag != null ? featureTag : other.featureTag);
    }

    /** The accumulated rows, or null when there are none. */
    CovarianceAccumulator accumulator() {
        return count == 0 ? null : CovarianceAccumulator.of(count, mean, scatter);
    }
}
