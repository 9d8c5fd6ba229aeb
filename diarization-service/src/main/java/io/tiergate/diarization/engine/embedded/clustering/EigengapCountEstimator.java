package io.tiergate.diarization.engine.embedded.clustering;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Estimates how many speakers there are from the spectrum of the segments' affinity graph: with k speakers whose
 * segments are alike within and unlike across, the graph Laplacian has k eigenvalues near zero and then a gap. The
 * graph keeps, for each segment, only its {@code keepFraction} most similar neighbours (as NME-SC does), so the many
 * weak similarities across speakers do not blur the gap.
 *
 * @param keepFraction the share of each segment's neighbours kept in the graph
 */
public record EigengapCountEstimator(double keepFraction) {

    /** The number of speakers in {@code [min, max]} with the widest eigengap. */
    public int estimate(List<double[]> embeddings, int min, int max) {
        int n = embeddings.size();
        if (n <= 2 || max <= 1) {
            return Math.max(1, Math.min(min, n));
        }
        double[] eigenvalues = spectrum(embeddings);
        return widestGap(eigenvalues, n, min, max);
    }

    /**
     * The graph's second-smallest eigenvalue (its algebraic connectivity): near zero when the segments fall into groups
     * that hardly resemble each other, since by Cheeger's inequality it bounds how cleanly the graph can be cut in two.
     * 2 for fewer than three segments, which make no graph worth cutting.
     */
    public double connectivity(List<double[]> embeddings) {
        return embeddings.size() <= 2 ? 2 : spectrum(embeddings)[1];
    }

    /** The eigenvalues, ascending, of the normalised Laplacian of the segments' nearest-neighbour graph. */
    public double[] spectrum(List<double[]> embeddings) {
        int n = embeddings.size();
        double[][] similarity = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                similarity[i][j] = AgglomerativeClustering.dot(embeddings.get(i), embeddings.get(j));
            }
        }
        int keep = Math.max(2, (int) Math.round(keepFraction * n));
        double[][] affinity = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] sorted = similarity[i].clone();
            Arrays.sort(sorted);
            double floor = sorted[n - keep];
            for (int j = 0; j < n; j++) {
                if (j != i && similarity[i][j] >= floor) {
                    affinity[i][j] = Math.max(similarity[i][j], 0);
                }
            }
        }
        double[] degree = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                degree[i] += (affinity[i][j] + affinity[j][i]) / 2;
            }
        }
        // The normalised Laplacian I - D^-1/2 A D^-1/2: its eigenvalues lie in [0, 2] whatever the recording's length.
        double[][] laplacian = new double[n][n];
        for (int i = 0; i < n; i++) {
            laplacian[i][i] = degree[i] > 0 ? 1 : 0;
            for (int j = 0; j < n; j++) {
                double a = (affinity[i][j] + affinity[j][i]) / 2;
                if (a > 0) {
                    laplacian[i][j] -= a / Math.sqrt(degree[i] * degree[j]);
                }
            }
        }
        double[] eigenvalues = new EigenDecomposition(new Array2DRowRealMatrix(laplacian, false)).getRealEigenvalues();
        Arrays.sort(eigenvalues);
        return eigenvalues;
    }

    private static int widestGap(double[] eigenvalues, int n, int min, int max) {
        int upper = Math.min(max, n - 1);
        int best = Math.max(1, min);
        double widest = Double.NEGATIVE_INFINITY;
        for (int k = Math.max(1, min); k <= upper; k++) {
            double gap = eigenvalues[k] - eigenvalues[k - 1];
            if (gap > widest) {
                widest = gap;
                best = k;
            }
        }
        return best;
    }
}
