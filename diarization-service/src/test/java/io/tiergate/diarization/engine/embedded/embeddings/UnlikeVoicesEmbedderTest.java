package io.tiergate.diarization.engine.embedded.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnlikeVoicesEmbedderTest {

    private static final List<Segment> SEGMENTS = List.of(new Segment(0, 10), new Segment(10, 20));
    /** Stands in for supervectors: the two segments at right angles. */
    private static final SpeakerEmbedder SUPERVECTORS = (frames, segments) ->
            List.of(new double[] {1, 0}, new double[] {0, 1});
    /** Stands in for statistics: the two segments alike. */
    private static final SpeakerEmbedder STATISTICS = (frames, segments) ->
            List.of(new double[] {0.6, 0.8, 0}, new double[] {0.6, 0.8, 0});

    @Test
    void oneRoomsVoicesAreComparedBySupervectorsAlone() {
        List<double[]> embeddings = new UnlikeVoicesEmbedder(SUPERVECTORS, STATISTICS, voices -> false)
                .embed(new double[20][3], SEGMENTS);

        assertThat(embeddings.get(0)).containsExactly(1, 0);
        assertThat(embeddings.get(1)).containsExactly(0, 1);
    }

    @Test
    void grosslyUnlikeVoicesAreComparedByBothHalfAndHalf() {
        List<double[]> embeddings = new UnlikeVoicesEmbedder(SUPERVECTORS, STATISTICS, voices -> true)
                .embed(new double[20][3], SEGMENTS);

        // cos = 0.5 * 0 (supervectors) + 0.5 * 1 (statistics), each joined embedding of unit length.
        assertThat(dot(embeddings.get(0), embeddings.get(1))).isCloseTo(0.5, within(1e-12));
        assertThat(dot(embeddings.get(0), embeddings.get(0))).isCloseTo(1, within(1e-12));
    }

    @Test
    void theStatisticsDecide() {
        List<List<double[]>> seen = new java.util.ArrayList<>();
        new UnlikeVoicesEmbedder(SUPERVECTORS, STATISTICS, voices -> seen.add(voices)).embed(new double[20][3], SEGMENTS);

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).get(0)).containsExactly(0.6, 0.8, 0);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
