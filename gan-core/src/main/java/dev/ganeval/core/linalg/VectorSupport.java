package dev.ganeval.core.linalg;

/**
 * Loads the Vector API implementations of this package by name, only after checking that
 * {@code jdk.incubator.vector} is readable, so the library links and runs without
 * {@code --add-modules jdk.incubator.vector} (falling back to plain Java).
 */
final class VectorSupport {
    private VectorSupport() {}

    /** True when the incubator module is part of the boot layer. */
    static boolean moduleReadable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * A new instance of {@code className}, or null when the module is not readable, the class cannot be linked,
     * or its static {@code lanes()} reports fewer than {@code minLanes} float lanes.
     */
    static <T> T load(String className, Class<T> type, int minLanes) {
        if (!moduleReadable()) {
            return null;
        }
        try {
            Class<?> c = Class.forName(className);
            int lanes = (int) c.getDeclaredMethod("lanes").invoke(null);
            if (lanes < minLanes) {
                return null;
            }
            return type.cast(c.getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
