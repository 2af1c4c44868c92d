package dev.ganeval.core.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link DoubleDots}; loaded reflectively. Its results do not depend on the vector
 * width: reductions keep a fixed number of logical lanes (16 for {@link #dot}, 8 for {@link #dotAndAxpy}) held in
 * one or two vectors of 512 bits or two or four of 256, added in one fixed order; the element-wise operations
 * finish their last partial vector with {@link Math#fma}, the same rounding as the vector lanes; and the skinny
 * products' width is 32 everywhere. So FID and every other figure built on these kernels is the same to the last
 * bit on AVX2 and AVX-512 machines, and the same as {@link DoubleDots.Fused}'s without the Vector API. Widths other
 * than 256 and 512 bits use that instead.
 */
final class VectorDoubleDots implements DoubleDots.Kernel {
    /** The pieces the vector loops leave (an odd last row), with the same arithmetic one double at a time. */
    private static final DoubleDots.Fused REST = new DoubleDots.Fused();
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final boolean WIDE = L == 8;
    private static final int SKINNY = 32;

    /** Float lanes of the preferred shape, the unit {@link VectorSupport#load} checks; 0 for unsupported widths. */
    static int lanes() {
        return L == 4 || L == 8 ? 2 * L : 0;
    }

    /** Sixteen running sums, term i in sum i mod 16; then sums j and j+8, j and j+4, and the last four pairwise. */
    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        int i = 0;
        double s;
        if (WIDE) {
            DoubleVector acc0 = DoubleVector.zero(S);
            DoubleVector acc1 = DoubleVector.zero(S);
            for (; i + 16 <= len; i += 16) {
                acc0 = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, aOff + i + 8).fma(DoubleVector.fromArray(S, b, bOff + i + 8), acc1);
            }
            DoubleVector h = acc0.add(acc1);
            s = ((h.lane(0) + h.lane(4)) + (h.lane(2) + h.lane(6))) + ((h.lane(1) + h.lane(5)) + (h.lane(3) + h.lane(7)));
        } else {
            DoubleVector acc0 = DoubleVector.zero(S);
            DoubleVector acc1 = DoubleVector.zero(S);
            DoubleVector acc2 = DoubleVector.zero(S);
            DoubleVector acc3 = DoubleVector.zero(S);
            for (; i + 16 <= len; i += 16) {
                acc0 = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), acc0);
                acc1 = DoubleVector.fromArray(S, a, aOff + i + 4).fma(DoubleVector.fromArray(S, b, bOff + i + 4), acc1);
                acc2 = DoubleVector.fromArray(S, a, aOff + i + 8).fma(DoubleVector.fromArray(S, b, bOff + i + 8), acc2);
                acc3 = DoubleVector.fromArray(S, a, aOff + i + 12).fma(DoubleVector.fromArray(S, b, bOff + i + 12), acc3);
            }
            DoubleVector q = acc0.add(acc2).add(acc1.add(acc3));
            s = (q.lane(0) + q.lane(2)) + (q.lane(1) + q.lane(3));
        }
        for (; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /** Eight running sums, reduced as {@link #dot}'s last eight. */
    @Override
    public double dotAndAxpy(double[] a, int aOff, double[] u, int uOff, double[] y, int yOff, int len, double ur) {
        DoubleVector urv = DoubleVector.broadcast(S, ur);
        int i = 0;
        double s;
        if (WIDE) {
            DoubleVector acc = DoubleVector.zero(S);
            for (; i + 8 <= len; i += 8) {
                DoubleVector av = DoubleVector.fromArray(S, a, aOff + i);
                acc = av.fma(DoubleVector.fromArray(S, u, uOff + i), acc);
                av.fma(urv, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
            }
            s = ((acc.lane(0) + acc.lane(4)) + (acc.lane(2) + acc.lane(6)))
                    + ((acc.lane(1) + acc.lane(5)) + (acc.lane(3) + acc.lane(7)));
        } else {
            DoubleVector acc0 = DoubleVector.zero(S);
            DoubleVector acc1 = DoubleVector.zero(S);
            for (; i + 8 <= len; i += 8) {
                DoubleVector a0 = DoubleVector.fromArray(S, a, aOff + i);
                DoubleVector a1 = DoubleVector.fromArray(S, a, aOff + i + 4);
                acc0 = a0.fma(DoubleVector.fromArray(S, u, uOff + i), acc0);
                acc1 = a1.fma(DoubleVector.fromArray(S, u, uOff + i + 4), acc1);
                a0.fma(urv, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
                a1.fma(urv, DoubleVector.fromArray(S, y, yOff + i + 4)).intoArray(y, yOff + i + 4);
            }
            DoubleVector q = acc0.add(acc1);
            s = (q.lane(0) + q.lane(2)) + (q.lane(1) + q.lane(3));
        }
        for (; i < len; i++) {
            s += a[aOff + i] * u[uOff + i];
            y[yOff + i] = Math.fma(a[aOff + i], ur, y[yOff + i]);
        }
        return s;
    }

    /** Column strip by column strip, so each strip's sum stays in one register across the rows. */
    @Override
    public void reflectRows(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau, double[] acc) {
        int c = 0;
        for (; c + L <= cols; c += L) {
            DoubleVector sum = DoubleVector.zero(S);
            for (int r = 0; r < rows; r++) {
                sum = DoubleVector.fromArray(S, a, aOff + r * lda + c).fma(DoubleVector.broadcast(S, u[r]), sum);
            }
            DoubleVector f = sum.mul(-tau);
            for (int r = 0; r < rows; r++) {
                int at = aOff + r * lda + c;
                f.fma(DoubleVector.broadcast(S, u[r]), DoubleVector.fromArray(S, a, at)).intoArray(a, at);
            }
        }
        // The last columns with the lanes' arithmetic, so a column's result does not depend on the vector width.
        for (; c < cols; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum = Math.fma(a[aOff + r * lda + c], u[r], sum);
            }
            double f = sum * -tau;
            for (int r = 0; r < rows; r++) {
                int at = aOff + r * lda + c;
                a[at] = Math.fma(f, u[r], a[at]);
            }
        }
    }

    @Override
    public void reflectColumns(double[] a, int aOff, int lda, int rows, int cols, double[] u, double tau) {
        for (int r = 0; r < rows; r++) {
            int row = aOff + r * lda;
            double f = -tau * dot(a, row, u, 0, cols);
            DoubleVector fv = DoubleVector.broadcast(S, f);
            int c = 0;
            for (; c + L <= cols; c += L) {
                DoubleVector.fromArray(S, u, c).fma(fv, DoubleVector.fromArray(S, a, row + c)).intoArray(a, row + c);
            }
            for (; c < cols; c++) {
                a[row + c] = Math.fma(u[c], f, a[row + c]);
            }
        }
    }

    @Override
    public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int len) {
        DoubleVector av = DoubleVector.broadcast(S, alpha);
        int i = 0;
        for (; i + L <= len; i += L) {
            DoubleVector.fromArray(S, x, xOff + i).fma(av, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
        }
    }

    @Override
    public void subtractTwo(double[] a, int aOff, int len, double alpha, double[] x, double beta, double[] y) {
        DoubleVector av = DoubleVector.broadcast(S, -alpha);
        DoubleVector bv = DoubleVector.broadcast(S, -beta);
        int c = 0;
        for (; c + L <= len; c += L) {
            DoubleVector t = DoubleVector.fromArray(S, x, c).fma(av, DoubleVector.fromArray(S, a, aOff + c));
            DoubleVector.fromArray(S, y, c).fma(bv, t).intoArray(a, aOff + c);
        }
        for (; c < len; c++) {
            a[aOff + c] = Math.fma(y[c], -beta, Math.fma(x[c], -alpha, a[aOff + c]));
        }
    }

    @Override
    public int skinnyWidth() {
        return SKINNY;
    }

    /**
     * Two rows at a time, the skinny operand's row held in four vectors per row of the result, for each block of
     * {@code 4·L} columns (the whole width on 512-bit machines, half of it on 256-bit ones: each element's sum is
     * the same chain of fused multiply-adds either way).
     */
    @Override
    public void rowsTimes(double[] a, int aOff, int lda, int rows, int k, double[] y, int yOff, double[] x, int xOff, int nb) {
        if (nb % (4 * L) != 0) {
            REST.rowsTimes(a, aOff, lda, rows, k, y, yOff, x, xOff, nb);
            return;
        }
        int i = 0;
        for (; i + 1 < rows; i += 2) {
            int a0 = aOff + i * lda;
            int a1 = a0 + lda;
            for (int jb = 0; jb < nb; jb += 4 * L) {
                DoubleVector s00 = DoubleVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
                DoubleVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
                for (int c = 0; c < k; c++) {
                    int yc = yOff + c * nb + jb;
                    DoubleVector y0 = DoubleVector.fromArray(S, y, yc);
                    DoubleVector y1 = DoubleVector.fromArray(S, y, yc + L);
                    DoubleVector y2 = DoubleVector.fromArray(S, y, yc + 2 * L);
                    DoubleVector y3 = DoubleVector.fromArray(S, y, yc + 3 * L);
                    DoubleVector v0 = DoubleVector.broadcast(S, a[a0 + c]);
                    DoubleVector v1 = DoubleVector.broadcast(S, a[a1 + c]);
                    s00 = y0.fma(v0, s00);
                    s01 = y1.fma(v0, s01);
                    s02 = y2.fma(v0, s02);
                    s03 = y3.fma(v0, s03);
                    s10 = y0.fma(v1, s10);
                    s11 = y1.fma(v1, s11);
                    s12 = y2.fma(v1, s12);
                    s13 = y3.fma(v1, s13);
                }
                int x0 = xOff + i * nb + jb;
                int x1 = x0 + nb;
                s00.add(DoubleVector.fromArray(S, x, x0)).intoArray(x, x0);
                s01.add(DoubleVector.fromArray(S, x, x0 + L)).intoArray(x, x0 + L);
                s02.add(DoubleVector.fromArray(S, x, x0 + 2 * L)).intoArray(x, x0 + 2 * L);
                s03.add(DoubleVector.fromArray(S, x, x0 + 3 * L)).intoArray(x, x0 + 3 * L);
                s10.add(DoubleVector.fromArray(S, x, x1)).intoArray(x, x1);
                s11.add(DoubleVector.fromArray(S, x, x1 + L)).intoArray(x, x1 + L);
                s12.add(DoubleVector.fromArray(S, x, x1 + 2 * L)).intoArray(x, x1 + 2 * L);
                s13.add(DoubleVector.fromArray(S, x, x1 + 3 * L)).intoArray(x, x1 + 3 * L);
            }
        }
        if (i < rows) {
            REST.rowsTimes(a, aOff + i * lda, lda, rows - i, k, y, yOff, x, xOff + i * nb, nb);
        }
    }

    /** Two rows of {@code a} at a time, so each row of x is loaded and stored once per pair and block of 4·L columns. */
    @Override
    public void transposedTimes(double[] a, int aOff, int lda, int rows, int cols, double[] y, int yOff, double[] x, int xOff,
                                int nb) {
        if (nb % (4 * L) != 0) {
            REST.transposedTimes(a, aOff, lda, rows, cols, y, yOff, x, xOff, nb);
            return;
        }
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int a0 = aOff + r * lda;
            int a1 = a0 + lda;
            for (int jb = 0; jb < nb; jb += 4 * L) {
                int yr = yOff + r * nb + jb;
                DoubleVector p0 = DoubleVector.fromArray(S, y, yr);
                DoubleVector p1 = DoubleVector.fromArray(S, y, yr + L);
                DoubleVector p2 = DoubleVector.fromArray(S, y, yr + 2 * L);
                DoubleVector p3 = DoubleVector.fromArray(S, y, yr + 3 * L);
                DoubleVector q0 = DoubleVector.fromArray(S, y, yr + nb);
                DoubleVector q1 = DoubleVector.fromArray(S, y, yr + nb + L);
                DoubleVector q2 = DoubleVector.fromArray(S, y, yr + nb + 2 * L);
                DoubleVector q3 = DoubleVector.fromArray(S, y, yr + nb + 3 * L);
                for (int c = 0; c < cols; c++) {
                    DoubleVector v0 = DoubleVector.broadcast(S, a[a0 + c]);
                    DoubleVector v1 = DoubleVector.broadcast(S, a[a1 + c]);
                    int xc = xOff + c * nb + jb;
                    p0.fma(v0, q0.fma(v1, DoubleVector.fromArray(S, x, xc))).intoArray(x, xc);
                    p1.fma(v0, q1.fma(v1, DoubleVector.fromArray(S, x, xc + L))).intoArray(x, xc + L);
                    p2.fma(v0, q2.fma(v1, DoubleVector.fromArray(S, x, xc + 2 * L))).intoArray(x, xc + 2 * L);
                    p3.fma(v0, q3.fma(v1, DoubleVector.fromArray(S, x, xc + 3 * L))).intoArray(x, xc + 3 * L);
                }
            }
        }
        if (r < rows) {
            REST.transposedTimes(a, aOff + r * lda, lda, rows - r, cols, y, yOff + r * nb, x, xOff, nb);
        }
    }
}
