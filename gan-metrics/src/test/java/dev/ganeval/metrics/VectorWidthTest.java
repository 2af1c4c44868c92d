package dev.ganeval.metrics;

import dev.ganeval.core.linalg.FloatMatrix;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same figures to the last bit whatever the machine's vector width: this JVM's against one restricted to
 * 256-bit vectors ({@code -XX:UseAVX=2}). On an AVX-512 machine (this project's CI) the two run different vector
 * shapes; on an AVX2 machine they coincide and the test only repeats itself. And the same again in a JVM without
 * the Vector API module, where the plain kernels run (with fused multiply-adds, where the processor has them).
 */
class VectorWidthTest {
    /** Prints the double lanes, then one figure per line, exactly ({@link Double#toString} round-trips). */
    public static void main(String[] args) {
        com.sun.management.HotSpotDiagnosticMXBean vm =
                java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        // What the JVM made of -XX:UseAVX=2 on this CPU: one without AVX2 or FMA lowers them, and then runs other kernels.
        System.out.println("avx " + vm.getVMOption("UseAVX").getValue() + " fma " + vm.getVMOption("UseFMA").getValue());
        // DoubleVector only where its module is there: the JVM without it runs this too.
        System.out.println("lanes " + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? Lanes.count() : 0));
        for (String line : figures()) {
            System.out.println(line);
        }
    }

    /** Kept apart so that main() links without the Vector API module. */
    private static final class Lanes {
        static int count() {
            return DoubleVector.SPECIES_PREFERRED.length();
        }
    }

    /** FID on both eigen-solver paths (one-stage below 384 dimensions, two-stage above) and routes, KID, Parzen. */
    private static List<String> figures() {
        List<String> out = new ArrayList<>();
        for (int d : new int[] {45, 130, 420}) {
            Random rnd = new Random(d);
            FloatMatrix a = TestData.gaussian(rnd, 3 * d, d, 0);
            FloatMatrix b = TestData.gaussian(rnd, 3 * d, d, 0.1);
            for (int i = 0; i < b.data().length; i += 3) {
                b.data()[i] *= 1.7f; // correlated, unequal scales: a covariance far from a multiple of I
            }
            out.add("fid cholesky d=" + d + " " + FrechetDistance.between(a, b).value());
            // Fewer rows than dimensions: Σ1 is singular, so the pivoted Cholesky route is taken.
            FloatMatrix few = a.rowRange(0, d - 5);
            out.add("fid singular d=" + d + " " + FrechetDistance.between(few, b).value());
        }
        Random rnd = new Random(7);
        FloatMatrix real = TestData.gaussian(rnd, 600, 70, 0);
        FloatMatrix fake = TestData.gaussian(rnd, 500, 70, 0.2);
        out.add("kid " + KernelInceptionDistance.builder().subsetSize(400).build().compute(real, fake).value());
        FloatMatrix samples = uniform(rnd, 700, 50);
        ParzenResult p = ParzenWindow.builder().build().compute(samples, uniform(rnd, 60, 50), uniform(rnd, 90, 50));
        out.add("parzen " + p.value() + " " + p.sigma());
        return out;
    }

    private static FloatMatrix uniform(Random rnd, int n, int d) {
        FloatMatrix x = new FloatMatrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = rnd.nextFloat();
        }
        return x;
    }

    /** Runs {@link #main} in a new JVM with the given options; its lines, without the JVM's warnings. */
    private static List<String> child(String... options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorWidthTest.class.getName()));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        proc.getOutputStream().close();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "the JVM with " + List.of(options) + " did not finish");
        assertEquals(0, proc.exitValue(), out);
        // Without ganeval's handler the kernel-fallback notice goes to stderr as two lines of java.util.logging.
        return out.lines().filter(l -> !l.startsWith("WARNING") && !l.contains("dev.ganeval.core.linalg")).toList();
    }

    @Test
    void withoutTheVectorApiTheSameBits() throws Exception {
        List<String> lines = child("-Xmx1g");
        assumeTrue(lines.get(0).endsWith("fma true"), "without FMA the plain kernels round each product: " + lines.get(0));
        assertEquals("lanes 0", lines.get(1), "the child JVM should have no Vector API: " + lines);
        assertEquals(String.join("\n", figures()), String.join("\n", lines.subList(2, lines.size())),
                "figures without the Vector API (left: this JVM, with it)");
    }

    @Test
    void avx2GivesTheSameBitsAsThisMachine() throws Exception {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "-XX:UseAVX exists on x86 only, this is " + arch);
        List<String> lines = child("--add-modules=jdk.incubator.vector", "-XX:UseAVX=2");
        String out = String.join("\n", lines);
        assumeTrue(lines.get(0).equals("avx 2 fma true"), "this CPU cannot run the AVX2 kernels: " + lines.get(0));
        assertEquals("lanes 4", lines.get(1), "the child JVM should run 256-bit vectors: " + out);
        assertEquals(String.join("\n", figures()), String.join("\n", lines.subList(2, lines.size())),
                "figures on 256-bit vectors (left: this JVM, " + DoubleVector.SPECIES_PREFERRED.length() + " double lanes)");
    }
}
