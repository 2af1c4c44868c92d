package dev.ganeval.metrics;

import dev.ganeval.core.InvalidInputException;
import dev.ganeval.core.linalg.Cholesky;
import dev.ganeval.core.linalg.DoubleGemm;
import dev.ganeval.core.linalg.FloatMatrix;
import dev.ganeval.core.linalg.Gemm.Transpose;
import dev.ganeval.core.linalg.PivotedCholesky;
import dev.ganeval.core.linalg.SymmetricEigenvalues;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Fréchet distance between two Gaussians fitted to feature sets — FID when the features are
 * Inception's — {@code ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2·tr (Σ1Σ2)^½}, which is also the squared 2-Wasserstein
 * distance between the two Gaussians.
 *
 * <p>The trace of the square root is taken through a symmetric eigenproblem ({@link Route#CHOLESKY}, on
 * ganeval's own multi-threaded float64 kernels: {@link Cholesky}, {@link DoubleGemm},
 * {@link SymmetricEigenvalues}): with
 * {@code Σ1 = L·Lᵀ}, the matrix {@code Lᵀ·Σ2·L} is symmetric positive semi-definite and similar to
 * {@code Σ1Σ2}, so {@code tr (Σ1Σ2)^½ = Σ √λᵢ(Lᵀ Σ2 L)} with eigenvalues clamped at 0. Unlike scipy's
 * {@code sqrtm} (pytorch-fid's route) this never produces complex values, needs no {@code 1e-6·I} retry and
 * gives exactly 0 for identical statistics up to rounding. When Σ1 is singular (fewer samples than
 * dimensions, dead or dependent features) a Cholesky factor with pivoting, stopped at Σ1's numerical rank,
 * replaces L ({@link Route#PIVOTED_CHOLESKY}: {@code Pᵀ Σ1 P = L·Lᵀ}, eigenvalues of {@code Lᵀ (Pᵀ Σ2 P) L}, the
 * same non-zero eigenvalues), the ranks are reported and a warning is attached. {@link Route#SYMMETRIC_SQRT}
 * (the symmetric square root from EJML's eigendecomposition of Σ1, about 15 times slower at d = 2048 and rougher) and
 * {@link Route#EIGEN_PRODUCT} (the classic definition: the eigenvalues of the non-symmetric product
 * {@code Σ1Σ2} from EJML's general eigensolver) are kept for cross-checking.
 */
public final class FrechetDistance implements Metric {
    /** {@code fid} (or {@code fd}, {@link #fd()}): the Fréchet distance of the two sides' Gaussian statistics. */
    @Override
    public String name() {
        return fd ? "fd" : "fid";
    }

    @Override
    public java.util.Set<Input> inputs() {
        return java.util.EnumSet.of(Input.REAL_STATISTICS, Input.FAKE_STATISTICS);
    }

    @Override
    public FidResult compute(MetricInputs inputs) {
        return compute(inputs.realStatistics(), inputs.fakeStatistics());
    }

    /** How {@code tr (Σ1Σ2)^½} is computed. */
    public enum Route {
        /** Automatic: Cholesky of Σ1 when it is positive definite, otherwise the pivoted Cholesky. */
        AUTO,
        /** {@code Σ1 = LLᵀ}, eigenvalues of {@code Lᵀ Σ2 L}. */
        CHOLESKY,
        /** {@code Pᵀ Σ1 P = LLᵀ} with pivoting, L of Σ1's numerical rank, eigenvalues of {@code Lᵀ (Pᵀ Σ2 P) L}. */
        PIVOTED_CHOLESKY,
        /** {@code S = Σ1^½} from a symmetric eigendecomposition, eigenvalues of {@code S Σ2 S}. */
        SYMMETRIC_SQRT,
        /** Eigenvalues of the non-symmetric product {@code Σ1 Σ2} (the classic sqrtm definition). */
        EIGEN_PRODUCT
    }

    private final Route route;
    private final boolean fd;

    private FrechetDistance(Route route, boolean fd) {
        this.route = route;
        this.fd = fd;
    }

    /** The default: {@link Route#AUTO}. */
    public static FrechetDistance create() {
        return new FrechetDistance(Route.AUTO, false);
    }

    /**
     * The same distance registered as {@code fd} and labelled {@code FD}: the name the field uses on features other
     * than Inception's (FD_DINOv2 is {@code fd} on {@code dinov2-vitl14}).
     */
    public static FrechetDistance fd() {
        return new FrechetDistance(Route.AUTO, true);
    }

    public static FrechetDistance using(Route route) {
        return new FrechetDistance(Objects.requireNonNull(route, "route"), false);
    }

    /** FID between two feature sets (rows are samples). */
    public static FidResult between(FloatMatrix features1, FloatMatrix features2) {
        Checks.samples(features1, "features1", 2);
        Checks.samples(features2, "features2", 2);
        Checks.sameDim(features1, "features1", features2, "features2");
        return create().compute(GaussianStats.of(features1), GaussianStats.of(features2));
    }

    /** FID between two sets of statistics. */
    public static FidResult between(GaussianStats s1, GaussianStats s2) {
        return create().compute(s1, s2);
    }

    /**
     * @throws InvalidInputException if the dimensions differ
     */
    public FidResult compute(GaussianStats s1, GaussianStats s2) {
        Objects.requireNonNull(s1, "s1");
        Objects.requireNonNull(s2, "s2");
        if (s1.dim() != s2.dim()) {
            throw new InvalidInputException("the statistics have " + s1.dim() + " and " + s2.dim()
                    + " dimensions; both must come from the same feature extractor and layer");
        }
        int d = s1.dim();
        double[] m1 = s1.meanView();
        double[] m2 = s2.meanView();
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            double diff = m1[i] - m2[i];
            meanTerm += diff * diff;
        }
        double tr1 = trace(s1.covarianceView(), d);
        double tr2 = trace(s2.covarianceView(), d);
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int rank1 = -1;
        int rank2 = -1;
        boolean fewSamples = (s1.count() != GaussianStats.UNKNOWN_COUNT && s1.count() <= d)
                || (s2.count() != GaussianStats.UNKNOWN_COUNT && s2.count() <= d);

        Route used = route;
        double traceSqrt;
        if (route == Route.EIGEN_PRODUCT) {
            traceSqrt = traceSqrtOfProduct(ejml(s1), ejml(s2), warnings);
        } else {
            boolean tryCholesky = route == Route.AUTO || route == Route.CHOLESKY;
            double[] lower = tryCholesky ? Cholesky.lower(s1.covarianceView(), d) : null;
            if (lower != null) {
                used = Route.CHOLESKY;
                traceSqrt = sumSqrtClamped(eigenvaluesOfCongruence(lower, s2.covarianceView(), d), warnings);
            } else if (route == Route.CHOLESKY) {
                throw new InvalidInputException("Σ1 is not positive definite, so the Cholesky route cannot be used; "
                        + "use Route.AUTO or Route.PIVOTED_CHOLESKY");
            } else if (route != Route.SYMMETRIC_SQRT) {
                used = Route.PIVOTED_CHOLESKY;
                PivotedCholesky.Factor f = PivotedCholesky.of(s1.covarianceView(), d);
                rank1 = f.rank();
                // The zero columns beyond the rank add only zero eigenvalues.
                double[] sigma2 = permuted(s2.covarianceView(), f.perm(), d);
                traceSqrt = sumSqrtClamped(eigenvaluesOfCongruence(f.lower(), sigma2, d), warnings);
            } else {
                SymmetricSqrt sqrt = symmetricSqrt(ejml(s1));
                rank1 = sqrt.rank;
                used = Route.SYMMETRIC_SQRT;
                // M = S Σ2 S: symmetric PSD, similar to Σ1Σ2.
                DMatrixRMaj tmp = new DMatrixRMaj(d, d);
                CommonOps_DDRM.mult(ejml(s2), sqrt.root, tmp);
                DMatrixRMaj m = new DMatrixRMaj(d, d);
                CommonOps_DDRM.mult(sqrt.root, tmp, m);
                symmetrize(m.data, d);
                traceSqrt = sumSqrtClamped(SymmetricEigenvalues.of(m.data, d), warnings);
            }
        }
        if (fewSamples || used == Route.SYMMETRIC_SQRT || used == Route.PIVOTED_CHOLESKY) {
            if (rank1 < 0) {
                rank1 = numericalRank(SymmetricEigenvalues.of(s1.covarianceView(), d));
            }
            // The pivoted factor's stopping point is its rank (a fraction of an eigensolve's time); the EJML
            // routes count eigenvalues above d·ε·max|λ|.
            rank2 = used == Route.PIVOTED_CHOLESKY ? PivotedCholesky.of(s2.covarianceView(), d).rank()
                    : numericalRank(SymmetricEigenvalues.of(s2.covarianceView(), d));
            if (fewSamples) {
                warnings.add("singular covariance (rank " + rank1 + " and " + rank2 + " of " + d
                        + "): fewer samples than dimensions make FID unreliable; use more samples or fewer feature dimensions");
            } else if (rank1 < d || rank2 < d) {
                // More samples than dimensions: the features themselves are degenerate (constant or dependent, as
                // dead ReLU units make them). The symmetric square root handles that exactly; say so, not "more samples".
                int constant1 = constantFeatures(s1.covarianceView(), d);
                int constant2 = constantFeatures(s2.covarianceView(), d);
                if (rank1 == d - constant1 && rank2 == d - constant2) {
                    // All of it is features that never vary: nothing to worry about, so a note, not a warning.
                    notes.add(constant1 + " and " + constant2 + " of the " + d + " features are constant (zero variance, e.g. "
                            + "dead ReLU units), so the covariances have rank " + rank1 + " and " + rank2
                            + "; the value is exact, computed on the rank they span");
                } else {
                    warnings.add("singular covariance (rank " + rank1 + " and " + rank2 + " of " + d
                            + ") although there are more samples than dimensions: some features are constant or linearly "
                            + "dependent (e.g. dead ReLU units); the value is exact, computed on the rank they span");
                }
            }
        }
        double traceTerm = tr1 + tr2 - 2 * traceSqrt;
        double value = meanTerm + traceTerm;
        if (value < 0) {
            // Rounding makes it negative (it is a squared distance): report the distance it approximates. A covariance
            // that is not positive semi-definite can too; the eigenvalue clamp's warning says so.
            value = 0;
        }
        return new FidResult(value, meanTerm, traceTerm, d, s1.count(), s2.count(), rank1, rank2, used, warnings, notes,
                fd ? "FD" : "FID");
    }

    /** Features whose variance is exactly 0: a unit that never fires gives exact zeros, not rounding noise. */
    private static int constantFeatures(double[] covariance, int d) {
        int n = 0;
        for (int i = 0; i < d; i++) {
            if (covariance[i * d + i] == 0) {
                n++;
            }
        }
        return n;
    }

    private record SymmetricSqrt(DMatrixRMaj root, int rank) {}

    private static SymmetricSqrt symmetricSqrt(DMatrixRMaj c) {
        int d = c.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(c.copy())) {
            throw new ArithmeticException("the symmetric eigensolver did not converge on Σ1");
        }
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) {
            ev[i] = eig.getEigenvalue(i).real;
        }
        int rank = numericalRank(ev);
        // S = V·diag(√λ)·Vᵀ, built as (V·diag(λ^¼))(V·diag(λ^¼))ᵀ so it stays symmetric.
        DMatrixRMaj w = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
            DMatrixRMaj v = eig.getEigenVector(i);
            double s = Math.sqrt(Math.sqrt(Math.max(ev[i], 0)));
            for (int r = 0; r < d; r++) {
                w.unsafe_set(r, i, v.get(r) * s);
            }
        }
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(w, w, root);
        return new SymmetricSqrt(root, rank);
    }

    private static double traceSqrtOfProduct(DMatrixRMaj c1, DMatrixRMaj c2, List<String> warnings) {
        int d = c1.numRows;
        DMatrixRMaj p = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(c1, c2, p);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, false);
        if (!eig.decompose(p)) {
            throw new ArithmeticException("the general eigensolver did not converge on Σ1Σ2");
        }
        double maxImag = 0;
        double[] ev = new double[d];
        for (int i = 0; i < d; i++) {
            Complex_F64 c = eig.getEigenvalue(i);
            ev[i] = c.real;
            maxImag = Math.max(maxImag, Math.abs(c.imaginary));
        }
        double s = sumSqrtClamped(ev, warnings);
        if (maxImag > 1e-8 * Math.max(1, s * s)) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "eigenvalues of Σ1Σ2 had imaginary parts up to %.3g (rounding); their real parts were used", maxImag));
        }
        return s;
    }

    /**
     * Eigenvalues of {@code M = Lᵀ·Σ2·L} (Σ1 = L·Lᵀ) with the float64 GEMM, skipping what the triangle of L and
     * the symmetry of M make zero or redundant: {@code W = Σ2·L} by column blocks from L's diagonal down
     * (d³/2 multiply-adds), the lower triangle of {@code M = Lᵀ·W} by row blocks (d³/6); then the blocked
     * symmetric eigensolver, which reads only that triangle.
     */
    private static double[] eigenvaluesOfCongruence(double[] lower, double[] sigma2, int d) {
        DoubleGemm gemm = DoubleGemm.defaultGemm();
        final int bs = 256;
        double[] w = new double[d * d];
        for (int j0 = 0; j0 < d; j0 += bs) {
            int nb = Math.min(bs, d - j0);
            gemm.gemm(Transpose.NONE, Transpose.NONE, d, nb, d - j0, 1, sigma2, j0, d, lower, j0 * d + j0, d,
                    0, w, j0, d);
        }
        double[] m = new double[d * d];
        for (int i0 = 0; i0 < d; i0 += bs) {
            int mb = Math.min(bs, d - i0);
            int cols = i0 + mb;
            gemm.gemm(Transpose.TRANSPOSE, Transpose.NONE, mb, cols, d - i0, 1, lower, i0 * d + i0, d, w, i0 * d, d,
                    0, m, i0 * d, d);
        }
        // The eigensolver reads only the lower triangle.
        return SymmetricEigenvalues.ofOverwriting(m, d);
    }

    private static double sumSqrtClamped(double[] ev, List<String> warnings) {
        double max = 0;
        for (double v : ev) {
            max = Math.max(max, Math.abs(v));
        }
        double s = 0;
        double mostNegative = 0;
        for (double v : ev) {
            if (v > 0) {
                s += Math.sqrt(v);
            } else {
                mostNegative = Math.min(mostNegative, v);
            }
        }
        if (mostNegative < -1e-8 * Math.max(max, 1e-300) * ev.length) {
            warnings.add(String.format(java.util.Locale.ROOT,
                    "an eigenvalue of %.3g (beyond rounding) was clamped to 0; the covariances may not be positive semi-definite", mostNegative));
        }
        return s;
    }

    /** Eigenvalues above {@code d·ε·max|λ|} count, as numpy's matrix_rank does for singular values. */
    static int numericalRank(double[] ev) {
        double max = 0;
        for (double v : ev) {
            max = Math.max(max, Math.abs(v));
        }
        double tol = max * ev.length * Math.ulp(1.0);
        int rank = 0;
        for (double v : ev) {
            if (v > tol) {
                rank++;
            }
        }
        return rank;
    }

    /** {@code Pᵀ·A·P}: element (i, j) is {@code A[perm[i]][perm[j]]}. */
    private static double[] permuted(double[] a, int[] perm, int d) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            int row = perm[i] * d;
            for (int j = 0; j < d; j++) {
                out[i * d + j] = a[row + perm[j]];
            }
        }
        return out;
    }

    /** A copy of the covariance as an EJML matrix, for the EJML routes. */
    private static DMatrixRMaj ejml(GaussianStats s) {
        return DMatrixRMaj.wrap(s.dim(), s.dim(), s.covarianceView().clone());
    }

    private static double trace(double[] a, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            t += a[i * d + i];
        }
        return t;
    }

    private static void symmetrize(double[] a, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (a[i * d + j] + a[j * d + i]);
                a[i * d + j] = v;
                a[j * d + i] = v;
            }
        }
    }
}
