package io.tiergate.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected regions are worked out by hand with the rules of Silero's get_speech_timestamps, at the defaults: 512-sample
 * windows, shortest speech 4000 samples, shortest silence 1600, padding 480.
 */
class SpeechSegmenterTest {

    private static final int W = VoiceActivityModel.WINDOW_SAMPLES;

    @Test
    void speechIsPaddedOnBothSides() {
        float[] probabilities = windows(10, 0f, 20, 0.9f, 20, 0f);

        assertThat(regions(VadSettings.DEFAULTS, probabilities)).containsExactly(
                new SpeechRegion(10 * W - 480, 30 * W + 480));
    }

    @Test
    void speechGoesOnUntilTheProbabilityFallsBelowTheNegativeThreshold() {
        float[] probabilities = windows(10, 0f, 20, 0.9f, 10, 0.4f, 20, 0.1f);

        assertThat(regions(VadSettings.DEFAULTS, probabilities)).containsExactly(
                new SpeechRegion(10 * W - 480, 40 * W + 480));
    }

    @Test
    void speechNoLongerThanTheShortestIsDropped() {
        assertThat(regions(VadSettings.DEFAULTS, windows(10, 0f, 7, 0.9f, 20, 0f))).as("3584 samples").isEmpty();
        assertThat(regions(VadSettings.DEFAULTS, windows(10, 0f, 8, 0.9f, 20, 0f))).as("4096 samples")
                .containsExactly(new SpeechRegion(10 * W - 480, 18 * W + 480));
    }

    @Test
    void aPauseShorterThanTheShortestSilenceStaysInside() {
        float[] probabilities = windows(10, 0f, 20, 0.9f, 3, 0f, 18, 0.9f, 20, 0f);

        assertThat(regions(VadSettings.DEFAULTS, probabilities)).containsExactly(
                new SpeechRegion(10 * W - 480, 51 * W + 480));
    }

    @Test
    void regionsCloserThanTwiceThePaddingMeetHalfWay() {
        VadSettings noShortestSilence = new VadSettings(0.5, 0.35, Duration.ofMillis(250), Duration.ZERO,
                Duration.ofMillis(30));
        float[] probabilities = windows(10, 0f, 20, 0.9f, 1, 0f, 20, 0.9f, 10, 0f);

        assertThat(regions(noShortestSilence, probabilities)).containsExactly(
                new SpeechRegion(10 * W - 480, 30 * W + 256),
                new SpeechRegion(30 * W + 256, 51 * W + 480));
    }

    @Test
    void speechAtTheEndEndsWithTheRecording() {
        float[] probabilities = windows(10, 0f, 20, 0.9f);
        long total = 30L * W - 100;

        assertThat(regions(VadSettings.DEFAULTS, probabilities, total)).containsExactly(
                new SpeechRegion(10 * W - 480, total));
    }

    @Test
    void paddingStopsAtTheEndOfTheRecording() {
        VadSettings noShortestSilence = new VadSettings(0.5, 0.35, Duration.ofMillis(250), Duration.ZERO,
                Duration.ofMillis(30));
        float[] probabilities = windows(10, 0f, 20, 0.9f, 1, 0f);
        long total = 30L * W + 100;

        assertThat(regions(noShortestSilence, probabilities, total)).containsExactly(
                new SpeechRegion(10 * W - 480, total));
    }

    @Test
    void speechFromTheFirstWindowStartsAtZero() {
        assertThat(regions(VadSettings.DEFAULTS, windows(20, 0.9f, 10, 0f))).containsExactly(
                new SpeechRegion(0, 20 * W + 480));
    }

    private static List<SpeechRegion> regions(VadSettings settings, float[] probabilities) {
        return regions(settings, probabilities, (long) probabilities.length * W);
    }

    /** Feeds the probabilities as a reader would, checking that no bound is reported before its samples were read. */
    private static List<SpeechRegion> regions(VadSettings settings, float[] probabilities, long total) {
        List<SpeechRegion> regions = new ArrayList<>();
        long[] state = {-1, 0}; // start of the region under way, samples read
        SpeechSegmenter segmenter = new SpeechSegmenter(settings, new SpeechSegmenter.Listener() {
            @Override
            public void speechStarted(long sample) {
                assertThat(state[0]).as("starts and ends alternate").isEqualTo(-1);
                assertThat(sample).isLessThanOrEqualTo(state[1]);
                state[0] = sample;
            }

            @Override
            public void speechEnded(long sample) {
                assertThat(sample).isLessThanOrEqualTo(state[1]);
                regions.add(new SpeechRegion(state[0], sample));
                state[0] = -1;
            }
        });
        for (int w = 0; w < probabilities.length; w++) {
            state[1] = Math.min(total, (w + 1L) * W);
            segmenter.accept(probabilities[w], state[1]);
        }
        segmenter.finish(total);
        assertThat(state[0]).as("every region ends").isEqualTo(-1);
        return regions;
    }

    /** Runs of windows: a count, then the probability of each, then the next count… */
    private static float[] windows(Object... runs) {
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < runs.length; i += 2) {
            for (int n = 0; n < (int) runs[i]; n++) {
                values.add((Float) runs[i + 1]);
            }
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
