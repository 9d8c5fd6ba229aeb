package io.tiergate.diarization.engine.embedded.clustering;

import java.util.List;

/**
 * Average-linkage agglomerative clustering of unit-length embeddings by cosine similarity, each embedding weighted (by
 * its segment's length, so that a long segment counts for more than a short one), merged down to a given number of
 * clusters. O(n^3) in time and O(n^2) in memory: meant for the segments of one window, not of a four-hour recording.
 */
public final class AgglomerativeClustering {

    private AgglomerativeClustering() {
    }

    /**
     * Cluster labels {@code 0..k-1} per embedding, numbered by first occurrence.
     *
     * @param clusters how many clusters to leave (fewer only when there are fewer embeddings)
     */
    public static int[] cluster(List<double[]> embeddings, double[] weights, int clusters) {
        int n = embeddings.size();
        if (n == 0) {
            return new int[0];
        }
        double[][] similarity = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                similarity[i][j] = similarity[j][i] = dot(embeddings.get(i), embeddings.get(j));
            }
        }
        double[] size = weights.clone();
        boolean[] alive = new boolean[n];
        java.util.Arrays.fill(alive, true);
        int[] owner = new int[n];
        for (int i = 0; i < n; i++) {
            owner[i] = i;
        }
        int left = n;
        while (left > Math.max(clusters, 1)) {
            int bestI = -1;
            int bestJ = -1;
            double best = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (!alive[i]) {
                    continue;
                }
                for (int j = i + 1; j < n; j++) {
                    if (alive[j] && similarity[i][j] > best) {
                        best = similarity[i][j];
                        bestI = i;
                        bestJ = j;
                    }
                }
            }
            // Lance-Williams update for (weighted) average linkage.
            for (int k = 0; k < n; k++) {
                if (alive[k] && k != bestI && k != bestJ) {
                    double merged = (size[bestI] * similarity[bestI][k] + size[bestJ] * similarity[bestJ][k])
                            / (size[bestI] + size[bestJ]);
                    similarity[bestI][k] = similarity[k][bestI] = merged;
                }
            }
            size[bestI] += size[bestJ];
            alive[bestJ] = false;
            for (int k = 0; k < n; k++) {
                if (owner[k] == bestJ) {
                    owner[k] = bestI;
                }
            }
            left--;
        }
        return renumber(owner);
    }

    /** Labels numbered 0, 1, ... in order of first occurrence. */
    public static int[] renumber(int[] owner) {
        int[] labels = new int[owner.length];
        java.util.Map<Integer, Integer> numbers = new java.util.HashMap<>();
        for (int i = 0; i < owner.length; i++) {
            labels[i] = numbers.computeIfAbsent(owner[i], o -> numbers.size());
        }
        return labels;
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
