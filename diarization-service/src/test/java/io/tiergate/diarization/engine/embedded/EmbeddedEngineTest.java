package io.tiergate.diarization.engine.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tiergate.audio.testing.TestAssets;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.diarization.engine.Diarization;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.SpeakerTurn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedEngineTest {

    /** NIST's scorer (Debian package sctk), the reference the repository's own DER is checked against. */
    private static final Path MD_EVAL = Path.of("/usr/lib/sctk/bin/md-eval.pl");

    private static SileroVad vad;
    private static EmbeddedEngine engine;
    private static float[] sample;

    @TempDir
    Path temp;

    @BeforeAll
    static void load() throws Exception {
        vad = SileroVad.load(TestAssets.path("vad/silero_vad.onnx"));
        engine = new EmbeddedEngine(vad, EmbeddedEngine.VAD_SETTINGS, EmbeddedSettings.DEFAULTS);
        sample = TestAssets.samples(TestAssets.path("diarization/pyannote_sample.wav"));
    }

    @AfterAll
    static void close() {
        vad.close();
    }

    @Test
    void thePyannoteSampleHasTwoSpeakersFoundWithinTheMeasuredErrorRate() throws Exception {
        Diarization result = engine.diarize(sample, SpeakerCountHint.UNKNOWN);

        assertThat(result.speakers()).containsExactly("SPEAKER_00", "SPEAKER_01");
        assertThat(result.durationSeconds()).isCloseTo(30.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(result.turns()).isSortedAccordingTo(java.util.Comparator.comparingDouble(SpeakerTurn::start));
        assumeTrue(Files.isExecutable(MD_EVAL), "md-eval.pl is not installed (apt-get install sctk)");
        // Measured 18.40% with no collar and no UEM, as here (18.97% over 0-30 s in bench/speech/diarization-bench.sh);
        // one speaker for all reference speech scores 49%.
        assertThat(diarizationErrorRate(result, "sample", TestAssets.path("diarization/pyannote_sample.rttm")))
                .isLessThan(25.0);
    }

    @Test
    void aSpeakerCountGivenIsTheCountFound() {
        assertThat(engine.diarize(sample, SpeakerCountHint.exactly(3)).speakers()).hasSize(3);
        assertThat(engine.diarize(sample, SpeakerCountHint.exactly(1)).speakers()).hasSize(1);
    }

    @Test
    void speakerCountBoundsAreHonoured() {
        assertThat(engine.diarize(sample, SpeakerCountHint.between(3, 5)).speakers()).hasSizeBetween(3, 5);
        assertThat(engine.diarize(sample, SpeakerCountHint.between(null, 1)).speakers()).hasSize(1);
    }

    @Test
    void silenceHasNoTurns() {
        Diarization result = engine.diarize(new float[5 * 16_000], SpeakerCountHint.UNKNOWN);

        assertThat(result.turns()).isEmpty();
        assertThat(result.durationSeconds()).isEqualTo(5.0);
        assertThat(engine.diarize(new float[100], SpeakerCountHint.UNKNOWN).turns()).isEmpty();
    }

    @Test
    void aLongRecordingIsDiarizedInWindowsWhoseSpeakersAreLinked() throws Exception {
        // The sample twice over, in 30 s windows: the same voices in both windows must get the same labels.
        float[] twice = new float[2 * sample.length];
        System.arraycopy(sample, 0, twice, 0, sample.length);
        System.arraycopy(sample, 0, twice, sample.length, sample.length);
        EmbeddedSettings d = EmbeddedSettings.DEFAULTS;
        EmbeddedEngine windowed = new EmbeddedEngine(vad, EmbeddedEngine.VAD_SETTINGS, new EmbeddedSettings(d.mels(),
                d.ceps(), d.changeWindowSeconds(), d.changeThreshold(), d.minSegmentSeconds(), d.maxSegmentSeconds(),
                d.supervectorComponents(), d.graphKeepFraction(), d.minSpeakers(), d.maxSpeakers(), d.gmmComponents(),
                d.resegmentRounds(), d.switchPenalty(), d.minTurnSeconds(), sample.length / 16_000.0));

        Diarization result = windowed.diarize(twice, SpeakerCountHint.UNKNOWN);

        assertThat(result.speakers()).hasSize(2);
        double agreeing = 0;
        double speech = 0;
        for (double t = 0.05; t < 30; t += 0.1) {
            String first = speakerAt(result, t);
            if (first != null) {
                speech += 0.1;
                agreeing += first.equals(speakerAt(result, t + sample.length / 16_000.0)) ? 0.1 : 0;
            }
        }
        assertThat(agreeing / speech).as("share of the first half's speech with the same speaker in the second")
                .isGreaterThan(0.95);
        Diarization streamed = windowed.diarize(new io.tiergate.audio.SampleSource() {
            private int position;

            @Override
            public int read(float[] into, int offset, int length) {
                int count = Math.min(Math.min(length, 7_000), twice.length - position);
                System.arraycopy(twice, position, into, offset, Math.max(count, 0));
                position += Math.max(count, 0);
                return count <= 0 ? -1 : count;
            }
        }, SpeakerCountHint.UNKNOWN);
        assertThat(streamed).as("read as a stream in windows, as from memory").isEqualTo(result);
    }

    private static String speakerAt(Diarization result, double seconds) {
        return result.turns().stream().filter(turn -> turn.start() <= seconds && seconds < turn.end())
                .map(SpeakerTurn::speaker).findFirst().orElse(null);
    }

    private double diarizationErrorRate(Diarization result, String uri, Path reference) throws Exception {
        Path hypothesis = temp.resolve("hypothesis.rttm");
        StringBuilder rttm = new StringBuilder();
        for (SpeakerTurn turn : result.turns()) {
            rttm.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>%n", uri, turn.start(),
                    turn.duration(), turn.speaker()));
        }
        Files.writeString(hypothesis, rttm);
        Process scorer = new ProcessBuilder(MD_EVAL.toString(), "-c", "0", "-r", reference.toString(), "-s",
                hypothesis.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String report = new String(scorer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        scorer.waitFor();
        return report.lines().filter(line -> line.contains("OVERALL SPEAKER DIARIZATION ERROR")).findFirst()
                .map(line -> Double.parseDouble(line.trim().split("\\s+")[5]))
                .orElseThrow(() -> new IOException("md-eval gave no DER:\n" + report));
    }
}
