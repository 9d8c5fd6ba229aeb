package io.tiergate.diarization.engine.embedded.clustering;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.diarization.engine.embedded.embeddings.StatisticsEmbedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusteringTest {

    /** {@code perSpeaker} noisy unit vectors around each of {@code speakers} orthogonal directions, speakers interleaved. */
    private static List<double[]> speakers(int speakers, int perSpeaker, double noise) {
        Random random = new Random(7);
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < perSpeaker; i++) {
            for (int s = 0; s < speakers; s++) {
                double[] v = new double[16];
                v[s] = 1;
                for (int d = 0; d < v.length; d++) {
                    v[d] += noise * random.nextGaussian();
                }
                double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
                out.add(Arrays.stream(v).map(x -> x / norm).toArray());
            }
        }
        return out;
    }

    @Test
    void wellSeparatedSpeakersAreClusteredApart() {
        List<double[]> embeddings = speakers(3, 10, 0.15);
        double[] weights = new double[embeddings.size()];
        Arrays.fill(weights, 1);

        int[] labels = AgglomerativeClustering.cluster(embeddings, weights, 3);

        for (int i = 0; i < labels.length; i++) {
            assertThat(labels[i]).as("embedding %d", i).isEqualTo(i % 3);
        }
    }

    @Test
    void clusteringStopsAtTheNumberAsked() {
        List<double[]> embeddings = speakers(3, 5, 0.15);
        double[] weights = new double[embeddings.size()];
        Arrays.fill(weights, 1);

        assertThat(Arrays.stream(AgglomerativeClustering.cluster(embeddings, weights, 5)).distinct().count()).isEqualTo(5);
        assertThat(Arrays.stream(AgglomerativeClustering.cluster(embeddings, weights, 1)).distinct().count()).isEqualTo(1);
    }

    @Test
    void theEigengapCountsWellSeparatedSpeakersWithinTheBounds() {
        EigengapCountEstimator estimator = new EigengapCountEstimator(0.3);

        assertThat(estimator.estimate(speakers(3, 10, 0.15), 1, 10)).isEqualTo(3);
        assertThat(estimator.estimate(speakers(2, 15, 0.15), 1, 10)).isEqualTo(2);
        assertThat(estimator.estimate(speakers(3, 10, 0.15), 4, 10)).as("the lower bound holds").isBetween(4, 10);
        assertThat(estimator.estimate(speakers(3, 10, 0.15), 1, 2)).as("the upper bound holds").isLessThanOrEqualTo(2);
    }

    /** As the embedders give them: relative to the recording's mean, at unit length. */
    private static List<double[]> centred(List<double[]> embeddings) {
        double[] mean = new double[embeddings.get(0).length];
        embeddings.forEach(v -> Arrays.setAll(mean, d -> mean[d] + v[d] / embeddings.size()));
        List<double[]> out = new ArrayList<>();
        for (double[] v : embeddings) {
            double[] c = new double[v.length];
            Arrays.setAll(c, d -> v[d] - mean[d]);
            StatisticsEmbedder.unitLength(c);
            out.add(c);
        }
        return out;
    }

    @Test
    void aFewSegmentsOfOneVoiceAreOneVoiceWhereTheEigengapSeesSeveral() {
        EigengapCountEstimator estimator = new EigengapCountEstimator(0.3);
        List<double[]> oneVoice = centred(speakers(1, 6, 0.15));

        assertThat(estimator.estimate(oneVoice, 1, 10)).as("a graph of pairs").isGreaterThan(1);
        assertThat(estimator.oneVoice(oneVoice, 0.4)).isTrue();
        assertThat(estimator.oneVoice(centred(speakers(2, 15, 0.15)), 0.4)).isFalse();
        assertThat(estimator.oneVoice(centred(speakers(3, 10, 0.15)), 0.4)).isFalse();
    }

    @Test
    void groupsThatHardlyResembleEachOtherLeaveTheGraphAlmostDisconnected() {
        EigengapCountEstimator estimator = new EigengapCountEstimator(0.3);

        assertThat(estimator.connectivity(speakers(3, 10, 0.15))).as("three clean voices").isLessThan(0.05);
        assertThat(estimator.connectivity(speakers(1, 30, 0.15))).as("one voice").isGreaterThan(0.3);
        assertThat(estimator.connectivity(speakers(2, 1, 0.15))).as("too few segments to cut").isEqualTo(2);
    }
}
