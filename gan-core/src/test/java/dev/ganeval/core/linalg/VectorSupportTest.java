package dev.ganeval.core.linalg;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorSupportTest {
    /** Loads every kernel of the package in a fresh JVM and prints the GEMM kernels' names. */
    public static void main(String[] args) {
        System.out.println(Gemm.defaultGemm().kernelName() + " / " + DoubleGemm.defaultGemm().kernelName());
        DoubleDots.class.getName();
        ExpSums.class.getName();
    }

    private record Run(String out, String err) {}

    private static Run probe(boolean withModule, String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (withModule) {
            cmd.add("--add-modules=jdk.incubator.vector");
        }
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorSupportTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), new String(err, StandardCharsets.UTF_8));
        return new Run(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheModuleTheFallbackIsSaidOnceWithWhatToAdd() throws Exception {
        Run run = probe(false);
        assertTrue(run.out().startsWith("plain"), run.out());
        int first = run.err().indexOf(VectorSupport.MISSING_MODULE_WARNING);
        assertTrue(first >= 0, run.err());
        assertEquals(-1, run.err().indexOf(VectorSupport.MISSING_MODULE_WARNING, first + 1), "said more than once: " + run.err());
    }

    @Test
    void withTheModuleNothingIsSaid() throws Exception {
        Run run = probe(true);
        assertFalse(run.err().contains(VectorSupport.MISSING_MODULE_WARNING), run.err());
        // The FMA warning only where this machine really has none (then the plain kernels run, as the next test checks).
        assertEquals(!VectorSupport.fmaInHardware(), run.err().contains(VectorSupport.NO_FMA_WARNING), run.err());
    }

    @Test
    void withoutFusedMultiplyAddThePlainKernelsRunAndThatIsSaidOnce() throws Exception {
        // -XX:-UseFMA stands in for a processor without FMA3: vector fma() would then run lane by lane in BigDecimal.
        Run run = probe(true, "-XX:-UseFMA");
        assertTrue(run.out().startsWith("plain"), run.out());
        int first = run.err().indexOf(VectorSupport.NO_FMA_WARNING);
        assertTrue(first >= 0, run.err());
        assertEquals(-1, run.err().indexOf(VectorSupport.NO_FMA_WARNING, first + 1), "said more than once: " + run.err());
    }
}
