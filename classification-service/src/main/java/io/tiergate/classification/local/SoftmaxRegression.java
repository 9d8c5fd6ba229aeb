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
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double[][] previousW = new double[classes][d];
        double[] previousB = new double[classes];
        double[][] lookW = new double[classes][d];
        double[] lookB = new double[classes];
        double[][] gradW = new double[classes][d];
        double[] gradB = new double[classes];
        double[] scores = new double[classes];
        double t = 1;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            for (double[] row : gradW) {
                java.util.Arrays.fill(row, 0);
            }
            java.util.Arrays.fill(gradB, 0);
            for (int i = 0; i < n; i++) {
                float[] x = features[i];
                probabilities(lookW, lookB, x, scores);
                scores[labels[i]] -= 1;
                for (int c = 0; c < classes; c++) {
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

    private static void probabilities(double[][] w, double[] b, float[] x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < b.length; c++) {
            double s = b[c];
            double[] wc = w[c];
            for (int j = 0; j < x.length; j++) {
                s += wc[j] * x[j];
            }
            out[c] = s;
            max = Math.max(max, s);
        }
        softmaxInPlace(out, max);
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
