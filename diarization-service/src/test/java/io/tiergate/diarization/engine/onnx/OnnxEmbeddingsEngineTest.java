package io.tiergate.diarization.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tiergate.audio.SampleSource;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.embedded.EmbeddedEngine;
import io.tiergate.diarization.engine.embedded.EmbeddedSettings;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded pipeline with its segments embedded by an ONNX model (the tiny one of {@link TinyOnnxModels}). */
class OnnxEmbeddingsEngineTest {

    static final OnnxRuntimeSettings CPU = new OnnxRuntimeSettings(1, false, 0);

    @TempDir
    static Path models;
    static SileroVad vad;
    static OnnxSegmentEmbedder embedder;
    static EmbeddedEngine engine;
    static float[] sample;

    @BeforeAll
    static void load() throws Exception {
        vad = SileroVad.load(TestAssets.path("vad/silero_vad.onnx"));
        OnnxSpeakerModel model = OnnxSpeakerModel.load(TinyOnnxModels.embedder(models.resolve("embedder.onnx")),
                CPU);
        embedder = new OnnxSegmentEmbedder(model, FeatureExtractor.Window.HAMMING, 2);
        engine = new EmbeddedEngine("onnx-embeddings", vad, EmbeddedEngine.VAD_SETTINGS, EmbeddedSettings.DEFAULTS,
                embedder, Optional.empty(), 1);
        sample = TestAssets.samples(TestAssets.path("diarization/pyannote_sample.wav"));
    }

    @AfterAll
    static void close() {
        engine.close();
        vad.close();
    }

    @Test
    void eachSegmentIsEmbeddedFromItsOwnMeanNormalisedKaldiFilterbanks() throws Exception {
        Segment segment = new Segment(500, 730);
        // Frames 500..729 start every 160 samples and are 400 long.
        float[] samples = Arrays.copyOfRange(sample, 500 * 160, 729 * 160 + 400);
        double[][] fbank = new FeatureExtractor(80, 1, 8_000, FeatureExtractor.Window.HAMMING).logMel(samples);
        assertThat(fbank).hasNumberOfRows(230);
        float[][] normalised = new float[fbank.length][80];
        for (int m = 0; m < 80; m++) {
            int mel = m;
            double mean = Arrays.stream(fbank).mapToDouble(frame -> frame[mel]).average().orElseThrow();
            for (int f = 0; f < fbank.length; f++) {
                normalised[f][m] = (float) (fbank[f][m] - mean);
            }
        }
        double[] expected = unit(TinyOnnxModels.expected(normalised));

        assertThat(embedder.embed(sample, segment)).containsExactly(expected, within(1e-5));
        assertThat(embedder.embed(sample, null, List.of(segment, new Segment(100, 160))))
                .first().satisfies(first -> assertThat(first).containsExactly(expected, within(1e-5)));
    }

    @Test
    void theSampleIsDiarizedIntoTheSpeakersAskedForUnderTheEnginesName() {
        DiarizedRecording two = engine.diarize(sample, SpeakerCountHint.exactly(2));

        assertThat(engine.name()).isEqualTo("onnx-embeddings");
        assertThat(engine.embedding()).contains("input 'feats'", "2 slots");
        assertThat(two.speakers()).containsExactly("SPEAKER_00", "SPEAKER_01");
        assertThat(two.durationSeconds()).isCloseTo(30.0, within(0.01));
        assertThat(two.turns()).isSortedAccordingTo(Comparator.comparingDouble(SpeakerTurn::start))
                .allSatisfy(turn -> assertThat(turn.end()).isGreaterThan(turn.start()));
        assertThat(engine.diarize(sample, SpeakerCountHint.between(1, 3)).speakers()).hasSizeBetween(1, 3);
    }

    @Test
    void aRecordingShorterThanAWindowReadAsAStreamTakesTheCallersCountAsFromMemory() throws Exception {
        DiarizedRecording streamed = engine.diarize(new SampleSource() {
            private int position;

            @Override
            public int read(float[] into, int offset, int length) {
                int count = Math.min(Math.min(length, 7_000), sample.length - position);
                System.arraycopy(sample, position, into, offset, Math.max(count, 0));
                position += Math.max(count, 0);
                return count <= 0 ? -1 : count;
            }
        }, SpeakerCountHint.exactly(3));

        // Three is more than the sample's voices: only a count taken as given, not as a bound, finds three.
        assertThat(streamed.speakers()).hasSize(3);
        assertThat(streamed).isEqualTo(engine.diarize(sample, SpeakerCountHint.exactly(3)));
    }

    private static double[] unit(float[] v) {
        double[] out = new double[v.length];
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / Math.sqrt(norm);
        }
        return out;
    }
}
