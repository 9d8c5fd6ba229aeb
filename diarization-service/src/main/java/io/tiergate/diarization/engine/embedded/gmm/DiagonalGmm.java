package io.tiergate.diarization.engine.embedded.gmm;

/**
 * A Gaussian mixture with diagonal covariances over feature frames, fitted by expectation-maximisation: the background
 * model the embeddings are adapted from, and the speaker model of resegmentation.
 */
public final class DiagonalGmm {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final double[] weights;
    private final double[][] variances;
    private final double[] logWeights;
    private final double[][] means;
    private final double[][] inverseVariances;
    private final double[] logNormalisers;

    private DiagonalGmm(double[] weights, double[][] means, double[][] variances) {
        int k = weights.length;
        int dims = means[0].length;
        this.weights = weights.clone();
        this.variances = variances;
        this.logWeights = new double[k];
        this.means = means;
        this.inverseVariances = new double[k][dims];
        this.logNormalisers = new double[k];
        for (int c = 0; c < k; c++) {
            logWeights[c] = Math.log(Math.max(weights[c], 1e-10));
            double logDet = 0;
            for (int d = 0; d < dims; d++) {
                inverseVariances[c][d] = 1 / variances[c][d];
                logDet += Math.log(variances[c][d]);
            }
            logNormalisers[c] = -0.5 * (dims * LOG_2PI + logDet);
        }
    }

    /**
     * Fits a mixture to the frames {@code rows} of {@code frames}, dimensions {@code [firstDim, end)}.
     *
     * @param components how many Gaussians (fewer when there are not enough frames for them)
     */
    public static DiagonalGmm fit(double[][] frames, int[] rows, int firstDim, int components, int iterations) {
        int dims = frames[0].length - firstDim;
        int n = rows.length;
        int k = Math.max(1, Math.min(components, n / (4 * dims)));
        double[] globalMean = new double[dims];
        double[] globalVariance = new double[dims];
        for (int row : rows) {
            for (int d = 0; d < dims; d++) {
                double x = frames[row][firstDim + d];
                globalMean[d] += x;
                globalVariance[d] += x * x;
            }
        }
        for (int d = 0; d < dims; d++) {
            globalMean[d] /= Math.max(n, 1);
            globalVariance[d] = Math.max(globalVariance[d] / Math.max(n, 1) - globalMean[d] * globalMean[d], 1e-3);
        }
        double[] weights = new double[k];
        double[][] means = new double[k][];
        double[][] variances = new double[k][];
        for (int c = 0; c < k; c++) {
            weights[c] = 1.0 / k;
            // Evenly spaced frames as first means: deterministic, and spread over the speaker's turns.
            means[c] = k == 1 ? globalMean.clone() : slice(frames[rows[(int) ((c + 0.5) * n / k)]], firstDim, dims);
            variances[c] = globalVariance.clone();
        }
        DiagonalGmm model = new DiagonalGmm(weights, means, variances);
        double[] responsibility = new double[k];
        for (int iteration = 0; iteration < iterations && n > 0; iteration++) {
            double[] counts = new double[k];
            double[][] sums = new double[k][dims];
            double[][] squares = new double[k][dims];
            for (int row : rows) {
                double[] frame = frames[row];
                model.componentLogLikelihoods(frame, firstDim, responsibility);
                double total = logSumExp(responsibility);
                for (int c = 0; c < k; c++) {
                    double r = Math.exp(responsibility[c] - total);
                    counts[c] += r;
                    for (int d = 0; d < dims; d++) {
                        double x = frame[firstDim + d];
                        sums[c][d] += r * x;
                        squares[c][d] += r * x * x;
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                weights[c] = counts[c] / n;
                if (counts[c] < 1e-3) {
                    means[c] = globalMean.clone();
                    variances[c] = globalVariance.clone();
                    continue;
                }
                means[c] = new double[dims];
                variances[c] = new double[dims];
                for (int d = 0; d < dims; d++) {
                    means[c][d] = sums[c][d] / counts[c];
                    // Floored at a hundredth of the speaker's variance so that no Gaussian collapses onto a few frames.
                    variances[c][d] = Math.max(squares[c][d] / counts[c] - means[c][d] * means[c][d],
                            0.01 * globalVariance[d]);
                }
            }
            model = new DiagonalGmm(weights, means, variances);
        }
        return model;
    }

    /** The log-likelihood of one frame (dimensions from {@code firstDim}). */
    public double logLikelihood(double[] frame, int firstDim) {
        double[] perComponent = new double[logWeights.length];
        componentLogLikelihoods(frame, firstDim, perComponent);
        return logSumExp(perComponent);
    }

    /** Each component's share of one frame (the posteriors, summing to 1), written into {@code into}. */
    public void posteriors(double[] frame, int firstDim, double[] into) {
        componentLogLikelihoods(frame, firstDim, into);
        double total = logSumExp(into);
        for (int c = 0; c < into.length; c++) {
            into[c] = Math.exp(into[c] - total);
        }
    }

    public int components() {
        return weights.length;
    }

    public double weight(int component) {
        return weights[component];
    }

    public double[] mean(int component) {
        return means[component].clone();
    }

    public double[] variance(int component) {
        return variances[component].clone();
    }

    private void componentLogLikelihoods(double[] frame, int firstDim, double[] into) {
        for (int c = 0; c < logWeights.length; c++) {
            double[] mean = means[c];
            double[] inverse = inverseVariances[c];
            double sum = 0;
            for (int d = 0; d < mean.length; d++) {
                double diff = frame[firstDim + d] - mean[d];
                sum += diff * diff * inverse[d];
            }
            into[c] = logWeights[c] + logNormalisers[c] - 0.5 * sum;
        }
    }

    private static double logSumExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    private static double[] slice(double[] frame, int from, int length) {
        return java.util.Arrays.copyOfRange(frame, from, from + length);
    }
}
