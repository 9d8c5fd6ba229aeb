package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {

    private static final int DIMENSION = 6;

    @Test
    void fitsThePenalisedMaximumLikelihoodOfEveryClass() {
        for (int classes : new int[] {2, 3, 4}) {
            Random random = new Random(classes);
            float[][] x = new float[400][];
            int[] y = new int[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = random.nextInt(classes);
                x[i] = point(random, y[i]);
            }
            double l2 = 1.0;
            SoftmaxRegression fitted = SoftmaxRegression.fit(x, y, classes, l2);
            double[][] reference = referenceFit(x, y, classes, l2 / x.length);

            // With the bias unpenalised, the optimum predicts each class as often, on average, as it occurs.
            double[] meanProbability = new double[classes];
            double[] frequency = new double[classes];
            for (int i = 0; i < x.length; i++) {
                double[] p = fitted.predict(x[i]);
                for (int c = 0; c < classes; c++) {
                    meanProbability[c] += p[c] / x.length;
                }
                frequency[y[i]] += 1.0 / x.length;
            }
            for (int c = 0; c < classes; c++) {
                assertThat(meanProbability[c]).as("class %d of %d", c, classes).isCloseTo(frequency[c], within(1e-3));
            }
            for (int k = 0; k < 50; k++) {
                float[] probe = point(random, random.nextInt(classes));
                double[] expected = probabilities(reference, probe);
                double[] actual = fitted.predict(probe);
                for (int c = 0; c < classes; c++) {
                    assertThat(actual[c]).as("class %d of %d", c, classes).isCloseTo(expected[c], within(2e-3));
                }
            }
        }
    }

    /** A point of a class: Gaussian noise around the class's own corner, overlapping the others'. */
    private static float[] point(Random random, int label) {
        float[] point = new float[DIMENSION];
        for (int j = 0; j < DIMENSION; j++) {
            point[j] = (float) (random.nextGaussian() * 0.8 + (j == label ? 1 : 0));
        }
        return point;
    }

    /**
     * The same objective (mean cross-entropy plus {@code lambda / 2} times the squared weights, bias free), minimised
     * by plain gradient descent over every class's scores until it no longer moves: the textbook form to check against.
     */
    private static double[][] referenceFit(float[][] x, int[] y, int classes, double lambda) {
        double[][] weights = new double[classes][DIMENSION + 1]; // the bias last
        for (int iteration = 0; iteration < 20_000; iteration++) {
            double[][] gradient = new double[classes][DIMENSION + 1];
            for (int i = 0; i < x.length; i++) {
                double[] p = probabilities(weights, x[i]);
                p[y[i]] -= 1;
                for (int c = 0; c < classes; c++) {
                    for (int j = 0; j < DIMENSION; j++) {
                        gradient[c][j] += p[c] * x[i][j] / x.length;
                    }
                    gradient[c][DIMENSION] += p[c] / x.length;
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j <= DIMENSION; j++) {
                    double penalty = j < DIMENSION ? lambda * weights[c][j] : 0;
                    weights[c][j] -= 0.5 * (gradient[c][j] + penalty);
                }
            }
        }
        return weights;
    }

    private static double[] probabilities(double[][] weights, float[] x) {
        double[] scores = new double[weights.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < weights.length; c++) {
            scores[c] = weights[c][DIMENSION];
            for (int j = 0; j < DIMENSION; j++) {
                scores[c] += weights[c][j] * x[j];
            }
            max = Math.max(max, scores[c]);
        }
        double sum = 0;
        for (int c = 0; c < scores.length; c++) {
            scores[c] = Math.exp(scores[c] - max);
            sum += scores[c];
        }
        for (int c = 0; c < scores.length; c++) {
            scores[c] /= sum;
        }
        return scores;
    }
}
