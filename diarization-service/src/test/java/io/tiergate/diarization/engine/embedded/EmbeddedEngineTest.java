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
