package io.tiergate.diarization.engine.embedded.segmentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {

    private final ChangeDetector detector = new ChangeDetector(100, 10, 1.0, 50, 10_000);

    /** Frames drawn around mean 0, then, from {@code change}, around mean 2 in every dimension. */
    private static double[][] frames(int count, int change) {
        Random random = new Random(3);
        double[][] frames = new double[count][8];
        for (int f = 0; f < count; f++) {
            for (int d = 0; d < 8; d++) {
                frames[f][d] = random.nextGaussian() + (f >= change ? 2 : 0);
            }
        }
        return frames;
    }

    @Test
    void aRegionIsCutWhereTheVoiceChanges() {
        List<Segment> segments = detector.segment(frames(800, 500), List.of(new Segment(0, 800)));

        assertThat(segments).hasSize(2);
        assertThat(segments.get(0).start()).isZero();
        assertThat(segments.get(0).end()).isBetween(490, 510);
        assertThat(segments.get(1).end()).isEqualTo(800);
    }

    @Test
    void longSegmentsAreSplitEvenlyAndRegionsAreKeptApart() {
        // A threshold no peak reaches: only the splitting of long segments is left.
        ChangeDetector shortPieces = new ChangeDetector(100, 10, 100, 50, 150);

        List<Segment> segments = shortPieces.segment(frames(800, 10_000),
                List.of(new Segment(0, 300), new Segment(400, 800)));

        assertThat(segments).containsExactly(new Segment(0, 150), new Segment(150, 300), new Segment(400, 533),
                new Segment(533, 666), new Segment(666, 800));
    }
}
