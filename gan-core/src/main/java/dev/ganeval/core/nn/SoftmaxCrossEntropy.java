package dev.ganeval.core.nn;

import dev.ganeval.core.linalg.FloatMatrix;

/**
 * Multi-class cross-entropy on logits with a max-shifted log-softmax, averaged over rows; the gradient with
 * respect to the logits is {@code (softmax(z) − onehot(y)) / n}.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /**
     * @param logits {@code n × classes}
     * @param labels one class index per row
     */
    public static BinaryCrossEntropy.Result withLogits(FloatMatrix logits, int[] labels) {
        int n = logits.rows();
        int k = logits.cols();
        if (labels.length != n) {
            throw new IllegalArgumentException(labels.length + " labels for " + n + " rows");
        }
        FloatMatrix grad = new FloatMatrix(n, k);
        float[] z = logits.data();
        float[] g = grad.data();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("label " + y + " at row " + i + " is not a class of " + k);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[i * k + j] - max);
            }
            double logSum = Math.log(sum) + max;
            loss += logSum - z[i * k + y];
            for (int j = 0; j < k; j++) {
                double p = Math.exp(z[i * k + j] - logSum);
                g[i * k + j] = (float) ((p - (j == y ? 1 : 0)) / n);
            }
        }
        return new BinaryCrossEntropy.Result(loss / n, grad);
    }
}
