package io.tiergate.classification.local;

/**
 * Multinomial logistic regression with an L2 penalty, trained by Nesterov-accelerated gradient descent.
 * Small and exact enough for a few hundred examples of a few hundred features, trained per task in milliseconds;
 * its probabilities are the local tier's confidence.
 */
public final class SoftmaxRegression {

    private static final int ITERATIONS = 600;

    private final float[][] weights;
    private final float[] bias;

    private SoftmaxRegression(float[][] weights, float[] bias) {
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * Fits {@code classes} classes to {@code features} labelled {@code labels}. {@code l2} weighs the penalty
     * against the summed (not mean) loss, so it means the same for any number of examples.
     */
    public static SoftmaxRegression fit(float[][] features, int[] labels, int classes, double l2) {
        int n = features.length;
        int d = features[0].length;
        double lambda = l2 / n;
        double maxNormSquared = 0;
        for (float[] row : features) {
            double norm = 1; // the bias input
            for (float v : row) {
                norm += v * v;
            }
            maxNormSquared = Math.max(maxNormSquared, norm);
        }
        // 1/L for the mean softmax loss (its Hessian is bounded by max |x|^2 / 2) plus the penalty.
        double step = 1.0 / (maxNormSquared / 2 + lambda);
        double[][] previousW = new double[classes][d];
        double[] previousB = new double[classes];
        double[][] lookW = new double[classes][d];
        double[] lookB = new double[classes];
        double[][] relativeW = new double[classes][d];
        double[] relativeB = new double[classes];
        double[][] gradW = new double[classes][d];
        double[] gradB = new double[classes];
        double[] scores = new double[classes];
        double t = 1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            // Softmax ignores a shift shared by all scores, and each example's gradients over the classes sum to zero:
            // scoring relative to class 0 and deriving its gradient from the others' takes one class's work off every
            // example (half of it for two labels), with the same iterates.
            for (int c = 1; c < classes; c++) {
                for (int j = 0; j < d; j++) {
                    relativeW[c][j] = lookW[c][j] - lookW[0][j];
                }
                relativeB[c] = lookB[c] - lookB[0];
            }
            for (double[] row : gradW) {
                java.util.Arrays.fill(row, 0);
            }
            java.util.Arrays.fill(gradB, 0);
            for (int i = 0; i < n; i++) {
                float[] x = features[i];
                double max = 0;
                scores[0] = 0;
                for (int c = 1; c < classes; c++) {
                    scores[c] = relativeB[c] + dot(relativeW[c], x);
                    max = Math.max(max, scores[c]);
                }
                softmaxInPlace(scores, max);
                scores[labels[i]] -= 1;
                for (int c = 1; c < classes; c++) {
                    double g = scores[c] / n;
                    if (g == 0) {
                        continue;
                    }
                    double[] gw = gradW[c];
                    for (int j = 0; j < d; j++) {
                        gw[j] += g * x[j];
                    }
                    gradB[c] += g;
                }
            }
            for (int c = 1; c < classes; c++) {
                for (int j = 0; j < d; j++) {
                    gradW[0][j] -= gradW[c][j];
                }
                gradB[0] -= gradB[c];
            }
            double nextT = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double momentum = (t - 1) / nextT;
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < d; j++) {
                    double updated = lookW[c][j] - step * (gradW[c][j] + lambda * lookW[c][j]);
                    lookW[c][j] = updated + momentum * (updated - previousW[c][j]);
                    previousW[c][j] = updated;
                }
                double updatedB = lookB[c] - step * gradB[c];
                lookB[c] = updatedB + momentum * (updatedB - previousB[c]);
                previousB[c] = updatedB;
            }
            t = nextT;
        }
        float[][] weights = new float[classes][d];
        float[] bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                weights[c][j] = (float) previousW[c][j];
            }
            bias[c] = (float) previousB[c];
        }
        return new SoftmaxRegression(weights, bias);
    }

    /** Class probabilities of {@code x}. */
    public double[] predict(float[] x) {
        double[] out = new double[bias.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < bias.length; c++) {
            double s = bias[c];
            float[] wc = weights[c];
            for (int j = 0; j < x.length; j++) {
                s += wc[j] * x[j];
            }
            out[c] = s;
            max = Math.max(max, s);
        }
        softmaxInPlace(out, max);
        return out;
    }

    /**
     * The dot product in four independent sums: one running sum waits on each addition before the next, four keep the
     * core's adders busy.
     */
    private static double dot(double[] w, float[] x) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (int end = x.length - 3; j < end; j += 4) {
            s0 += w[j] * x[j];
            s1 += w[j + 1] * x[j + 1];
            s2 += w[j + 2] * x[j + 2];
            s3 += w[j + 3] * x[j + 3];
        }
        for (; j < x.length; j++) {
            s0 += w[j] * x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void softmaxInPlace(double[] scores, double max) {
        double sum = 0;
        for (int c = 0; c < scores.length; c++) {
            scores[c] = Math.exp(scores[c] - max);
            sum += scores[c];
        }
        for (int c = 0; c < scores.length; c++) {
            scores[c] /= sum;
        }
    }
}
