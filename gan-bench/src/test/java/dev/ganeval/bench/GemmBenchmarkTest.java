package dev.ganeval.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark must time a correct product: check its set-up and one call on small shapes. */
class GemmBenchmarkTest {
    @Test
    void benchmarkComputesTheProductItTimes() {
        for (String shape : new String[] {"7x5x3", "9x33x17t"}) {
            GemmBenchmark b = new GemmBenchmark();
            b.shape = shape;
            b.threads = 2;
            b.kernel = "auto";
            b.setUp();
            float[] c = b.gemm();
            boolean t = shape.endsWith("t");
            String[] d = shape.replace("t", "").split("x");
            int m = Integer.parseInt(d[0]);
            int n = Integer.parseInt(d[1]);
            int k = Integer.parseInt(d[2]);
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(42);
            float[] a = new float[m * k];
            float[] bb = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextDouble();
            }
            for (int i = 0; i < bb.length; i++) {
                bb[i] = (float) rnd.nextDouble();
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a[i * k + p] * (t ? bb[j * k + p] : bb[p * n + j]);
                    }
                    assertEquals(s, c[i * n + j], 1e-4, shape + " C[" + i + "," + j + "]");
                }
            }
        }
    }
}
