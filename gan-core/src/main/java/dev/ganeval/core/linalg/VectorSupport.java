package dev.ganeval.core.linalg;

/**
 * Loads the Vector API implementations of this package by name, only after checking that
 * {@code jdk.incubator.vector} is readable, so the library links and runs without
 * {@code --add-modules jdk.incubator.vector} (falling back to plain Java, with one logged warning that says
 * what to add, since the difference is some twenty times in speed).
 */
final class VectorSupport {
    /** Said once per JVM, through {@link System.Logger} so an application can route or silence it. */
    static final String MISSING_MODULE_WARNING = "jdk.incubator.vector is not readable, so ganeval's matrix multiplies "
            + "and distances run on plain Java, about 20 times slower: add --add-modules jdk.incubator.vector to the "
            + "java command line (the ganeval launcher does)";

    /** Said once per JVM where the processor (or the JVM's view of it) has no fused multiply-add. */
    static final String NO_FMA_WARNING = "the JVM reports no fused multiply-add (FMA) instructions on this processor "
            + "(-XX:-UseFMA, or a CPU or virtual machine without FMA3), which ganeval's vector kernels need to be fast: "
            + "its matrix multiplies and distances run on plain Java instead";

    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    private VectorSupport() {}

    private static final boolean FMA = fmaInHardware();

    /** {@link #fmaInHardware()}, asked once per JVM. */
    static boolean fma() {
        return FMA;
    }

    /**
     * Whether HotSpot compiles fused multiply-adds to the instruction ({@code UseFMA}, on by default where the CPU has
     * it); true on JVMs without that option, which are not known to lack it.
     */
    static boolean fmaInHardware() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm =
                    java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return vm == null || Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            return true;
        }
    }

    /** Why the vector kernels are not in use, for the error when one was asked for by name. */
    static String whyNotVector() {
        if (!moduleReadable()) {
            return "module jdk.incubator.vector is not readable: run java with --add-modules jdk.incubator.vector";
        }
        if (!FMA) {
            return "the JVM reports no fused multiply-add instructions on this processor";
        }
        return "this processor's vectors are narrower than 256 bits";
    }

    private static void warnOnce(String warning) {
        if (!WARNED.getAndSet(true)) {
            System.getLogger("dev.ganeval.core.linalg").log(System.Logger.Level.WARNING, warning);
        }
    }

    /** True when the incubator module is part of the boot layer. */
    static boolean moduleReadable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * A new instance of {@code className}, or null when the module is not readable, the class cannot be linked,
     * or its static {@code lanes()} reports fewer than {@code minLanes} float lanes.
     */
    static <T> T load(String className, Class<T> type, int minLanes) {
        return load(className, type, minLanes, 0);
    }

    /**
     * For {@link Gemm#withVectorTile} and {@link DoubleGemm#withVectorTile}: the vector kernel {@code className} with a
     * register tile {@code vectors} (2 or 3) vectors a row, through its {@code (int vectors)} constructor.
     *
     * @throws IllegalArgumentException if {@code vectors} is not 2 or 3, or {@code threads} is below 1
     * @throws IllegalStateException if the vector kernels cannot run in this JVM, saying why
     */
    static <T> T loadTile(String className, Class<T> type, int vectors, int threads) {
        if (vectors != 2 && vectors != 3) {
            throw new IllegalArgumentException("a register tile is 2 or 3 vectors a row, got " + vectors);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        T kernel = load(className, type, 8, vectors);
        if (kernel == null) {
            throw new IllegalStateException("the Vector API kernel was asked for but cannot run: " + whyNotVector());
        }
        return kernel;
    }

    /** {@link #load(String, Class, int)} through the {@code (int vectors)} constructor when {@code vectors} is not 0. */
    private static <T> T load(String className, Class<T> type, int minLanes, int vectors) {
        if (!moduleReadable()) {
            warnOnce(MISSING_MODULE_WARNING);
            return null;
        }
        if (!FMA) {
            // Every vector kernel is built on fma(); without the instruction each one is a BigDecimal
            // computation, over a hundred times slower than the plain kernels (a d = 640 FID: over 2 minutes, not 1 s).
            warnOnce(NO_FMA_WARNING);
            return null;
        }
        try {
            Class<?> c = Class.forName(className);
            int lanes = (int) c.getDeclaredMethod("lanes").invoke(null);
            if (lanes < minLanes) {
                return null;
            }
            return type.cast(vectors == 0 ? c.getDeclaredConstructor().newInstance()
                    : c.getDeclaredConstructor(int.class).newInstance(vectors));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
