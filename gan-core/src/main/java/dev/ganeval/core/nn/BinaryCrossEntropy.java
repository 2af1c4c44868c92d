package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

/**
 * Binary cross-entropy on logits, numerically stable for any logit:
 * {@code ℓ(z, y) = max(z, 0) − z·y + log(1 + e^−|z|)}, which equals {@code −y·log σ(z) − (1−y)·log(1−σ(z))}.
 * Averaged over the rows; the gradient {@code (σ(z) − y)/n} is returned alongside.
 */
public final class BinaryCrossEntropy {
    /** The mean loss and its gradient with respect to the logits. */
    public record Result(double loss, FloatMatrix gradient) {}

    private BinaryCrossEntropy() {}

    /**
     * @param logits a column ({@code n × 1}) or any shape; every element is one prediction
     * @param target the label for every element (0 = fake, 1 = real), the same for all of them
     */
    public static Result withLogits(FloatMatrix logits, float target) {
        float[] z = logits.data();
        int n = z.length;
        FloatMatrix grad = new FloatMatrix(logits.rows(), logits.cols());
        float[] g = grad.data();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double zi = z[i];
            loss += Math.max(zi, 0) - zi * target + Math.log1p(Math.exp(-Math.abs(zi)));
            double s = zi >= 0 ? 1 / (1 + Math.exp(-zi)) : Math.exp(zi) / (1 + Math.exp(zi));
            g[i] = (float) ((s - target) / n);
        }
        return new Result(loss / n, grad);
    }
}
