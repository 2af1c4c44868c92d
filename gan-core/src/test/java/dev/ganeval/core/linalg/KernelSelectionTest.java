package dev.ganeval.core.linalg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs twice in the build: once with {@code --add-modules jdk.incubator.vector} and once without (see the
 * gan-core pom), so the reflective loading and the fallback are both exercised.
 */
class KernelSelectionTest {
    private static final boolean EXPECT_VECTOR = Boolean.parseBoolean(System.getProperty("ganeval.test.expectVector", "true"));

    @Test
    void defaultKernelFollowsModuleReadability() {
        boolean moduleReadable = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(EXPECT_VECTOR, moduleReadable, "the surefire execution should set up the module as the test expects");
        String name = Gemm.defaultGemm().kernelName();
        if (EXPECT_VECTOR && VectorSupport.fmaInHardware()) {
            assertTrue(Gemm.vectorKernelAvailable(), "the vector kernel should load when the module is readable on AVX2+ CPUs");
            assertTrue(name.startsWith("vector-"), name);
        } else {
            assertTrue(!Gemm.vectorKernelAvailable());
            assertTrue(name.startsWith("plain"), name);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Gemm.create(Gemm.Kernel.VECTOR, 1));
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        }
    }

    /** The benchmarks' entry: the tile asked for where the vector kernel runs, else an error that says why. */
    @Test
    void vectorTilesAreTheWidthAskedForOrSayWhyNot() {
        assertThrows(IllegalArgumentException.class, () -> Gemm.withVectorTile(4, 1));
        assertThrows(IllegalArgumentException.class, () -> DoubleGemm.withVectorTile(2, 0));
        if (Gemm.vectorKernelAvailable()) {
            int bits = Integer.parseInt(Gemm.defaultGemm().kernelName().replaceAll("vector-(\\d+) .*", "$1"));
            for (int vectors = 2; vectors <= 3; vectors++) {
                Gemm f = Gemm.withVectorTile(vectors, 2);
                assertEquals("vector-" + bits + " 8x" + vectors * bits / 32, f.kernelName());
                GemmTest.check(f, true, false, 45, 77, 300, 1f, 0f, 11);
                DoubleGemm d = DoubleGemm.withVectorTile(vectors, 2);
                assertEquals("vector-f64-" + bits + " 8x" + vectors * bits / 64, d.kernelName());
                assertEquals(2, d.threads());
            }
        } else {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Gemm.withVectorTile(2, 1));
            assertTrue(e.getMessage().contains("cannot run"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> DoubleGemm.withVectorTile(3, 1));
        }
    }

    @Test
    void defaultKernelComputesCorrectProducts() {
        FloatMatrix a = FloatMatrix.ofRows(new float[] {1, 2, 3}, new float[] {4, 5, 6});
        FloatMatrix b = FloatMatrix.ofRows(new float[] {7, 8}, new float[] {9, 10}, new float[] {11, 12});
        assertArrayEquals(new float[] {58, 64, 139, 154}, Gemm.defaultGemm().multiply(a, b).data());
        GemmTest.check(Gemm.defaultGemm(), true, false, 45, 77, 300, 1f, 0f, 11);
    }
}
