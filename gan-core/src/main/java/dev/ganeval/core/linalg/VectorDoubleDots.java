package dev.ganeval.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector API implementation of {@link DoubleDots}: two vector accumulators; loaded reflectively. */
final class VectorDoubleDots implements DoubleDots.Kernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Float lanes of the preferred shape, the unit {@link VectorSupport#load} checks. */
    static int lanes() {
        return 2 * L;
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        int i = 0;
        for (; i + 2 * L <= len; i += 2 * L) {
            acc0 = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), acc0);
            acc1 = DoubleVector.fromArray(S, a, aOff + i + L).fma(DoubleVector.fromArray(S, b, bOff + i + L), acc1);
        }
        double s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public double dotAndAxpy(double[] a, int aOff, double[] u, int uOff, double[] y, int yOff, int len, double ur) {
        DoubleVector acc = DoubleVector.zero(S);
        DoubleVector urv = DoubleVector.broadcast(S, ur);
        int i = 0;
        for (; i + L <= len; i += L) {
            DoubleVector av = DoubleVector.fromArray(S, a, aOff + i);
            acc = av.fma(DoubleVector.fromArray(S, u, uOff + i), acc);
            av.fma(urv, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += a[aOff + i] * u[uOff + i];
            y[yOff + i] += a[aOff + i] * ur;
        }
        return s;
    }
}
