package io.tiergate.diarization.engine.onnx;

import static io.tiergate.diarization.engine.embedded.overlap.OverlapDetector.NONE;
import static io.tiergate.diarization.engine.embedded.overlap.OverlapDetector.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlap and the second voice found by a segmentation model over a window whose frames the engine gave to one speaker
 * each, on a tiny model that hears whom the test says by the level of the samples (10 ms frames, as the window's).
 */
class SegmentationOverlapDetectorTest {

    @TempDir
    static Path models;
    static SegmentationOverlapDetector detector;

    @BeforeAll
    static void load() throws Exception {
        OnnxSegmentationModel model = OnnxSegmentationModel.load(
                TinyOnnxModels.segmenter(models.resolve("segmenter.onnx"), 7, "T", Map.of()), OnnxSegmentationModelTest.CPU);
        detector = new SegmentationOverlapDetector(model, 80_000, 0.5);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    /** Sets frames {@code [from, to)} of {@code samples} to the level at which the model hears class {@code c}. */
    private static void hear(float[] samples, int from, int to, int c) {
        Arrays.fill(samples, from * 160, to * 160, TinyOnnxModels.classLevel(c));
    }

    @Test
    void theSecondVoiceOfAnOverlapIsTheWindowSpeakerTheOtherLocalSpeakerIsMatchedWith() {
        // 20 s: the engine gave the first 10 s to speaker 0, the rest to speaker 1. The model hears its local speaker 0
        // alone from 2 s to 8 s, local speakers 0 and 1 at once from 8 s to 12 s, and local speaker 1 alone to 18 s.
        float[] samples = new float[320_000];
        int[] labels = new int[2000];
        Arrays.fill(labels, 1000, 2000, 1);
        hear(samples, 200, 800, 1);
        hear(samples, 800, 1200, 4);
        hear(samples, 1200, 1800, 2);

        int[] second = detector.secondSpeakers(samples, labels);

        // Only the chunk from 5 s to 15 s hears both local speakers alone, which tells who the pair is; the chunks
        // either side of it, which hear one, do not outvote it.
        int[] expected = new int[2000];
        Arrays.fill(expected, NONE);
        Arrays.fill(expected, 800, 1000, 1);
        Arrays.fill(expected, 1000, 1200, 0);
        assertThat(second).containsExactly(expected);
    }

    @Test
    void overlapWhoseVoicesCannotBeToldIsMarkedUnknownAndNoneIsFoundWhereNobodySpeaksOrInBlips() {
        float[] samples = new float[160_000];
        int[] labels = new int[1000];
        Arrays.fill(labels, 0, 300, 0);
        Arrays.fill(labels, 300, 500, -1);
        Arrays.fill(labels, 500, 1000, 1);
        hear(samples, 100, 400, 5);
        hear(samples, 700, 705, 4);

        int[] second = detector.secondSpeakers(samples, labels);

        int[] expected = new int[1000];
        Arrays.fill(expected, NONE);
        Arrays.fill(expected, 100, 300, UNKNOWN);
        assertThat(second).containsExactly(expected);
    }

    @Test
    void aWindowShorterThanAChunkIsLookedAtOnceAndItsPaddingIgnored() {
        float[] samples = new float[48_000];
        int[] labels = new int[300];
        hear(samples, 0, 300, 4);

        assertThat(detector.secondSpeakers(samples, labels)).containsOnly(UNKNOWN);
        assertThat(detector.describe()).contains("speaker-segmentation model", "a chunk every 5.0 s",
                "overlap from probability 0.5");
    }
}
