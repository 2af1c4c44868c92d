package dev.ganeval.spark;

import dev.ganeval.core.onnx.Device;
import dev.ganeval.metrics.evaluation.FeatureNetwork;
import dev.ganeval.metrics.evaluation.NetworkSpec;
import org.apache.spark.SparkFiles;

import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The feature-network sessions of this executor JVM, kept across tasks and jobs: loading Inception-v3 takes about a
 * second and a session holds its weights, so a task borrows an idle session for its network and image geometry and
 * gives it back when its partition is done. A session serves one task at a time (they are not thread-safe), so an
 * executor holds as many as it runs tasks at once — one with {@code spark.task.cpus} equal to the executor's cores,
 * where ONNX Runtime then uses every core. Sessions live as long as the executor.
 */
final class ExecutorSessions {
    private record Key(NetworkSpec network, int channels, int height, int width, Device device, boolean logits) {}

    private static final Map<Key, Queue<FeatureNetwork.Session>> IDLE = new ConcurrentHashMap<>();

    private ExecutorSessions() {}

    /** An idle session for this network and geometry, or a new one; files are the copies Spark shipped here. */
    static FeatureNetwork.Session borrow(NetworkSpec network, int channels, int height, int width, Device device,
                                         boolean logits) {
        Key key = new Key(network, channels, height, width, device, logits);
        FeatureNetwork.Session s = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        if (s != null) {
            return s;
        }
        return network.open(name -> Path.of(SparkFiles.get(name))).open(channels, height, width, device, logits);
    }

    /** Makes a borrowed session available to the next task. */
    static void giveBack(NetworkSpec network, int channels, int height, int width, Device device, boolean logits,
                         FeatureNetwork.Session s) {
        IDLE.computeIfAbsent(new Key(network, channels, height, width, device, logits), k -> new ConcurrentLinkedQueue<>()).add(s);
    }

    /**
     * Sessions of this network idle now, all geometries, giving logits or not (for tests: sessions are reused). A session
     * opened for logits is kept apart from one opened for features only.
     */
    static int idle(NetworkSpec network, boolean logits) {
        return IDLE.entrySet().stream().filter(e -> e.getKey().network().equals(network) && e.getKey().logits() == logits)
                .mapToInt(e -> e.getValue().size()).sum();
    }
}
