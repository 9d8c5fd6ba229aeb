package io.tiergate.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.common.problem.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioProbeTest {

    private static final Path JFK = Path.of("../../shared/assets/asr/jfk.wav");

    private final AudioProbe probe = new AudioProbe(AudioTools.onPath());

    @Test
    void aWavFileIsReadFromItsHeader() throws Exception {
        AudioInfo info = probe.probe(JFK, 3600);

        assertThat(info.format()).isEqualTo("wav");
        assertThat(info.durationSeconds()).isEqualTo(11.0);
        assertThat(info.sampleRate()).isEqualTo(16_000);
    }

    @Test
    void textIsRefusedNamingTheFileField(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "these are not samples");

        assertThatThrownBy(() -> probe.probe(text, 3600)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo("file");
            assertThat(e.problem().detail()).doesNotContain(dir.toString());
        });
    }

    @Test
    void aRecordingLongerThanTakenIsRefusedWith413() {
        assertThatThrownBy(() -> probe.probe(JFK, 10)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(413));
    }

    @Test
    void decodingGivesSixteenKilohertzMonoSamples() throws Exception {
        long samples = 0;
        try (PcmStream stream = new PcmDecoder(AudioTools.onPath()).open(JFK)) {
            float[] buffer = new float[4000];
            for (int read; (read = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                samples += read;
            }
        }
        assertThat(samples).isEqualTo(176_000);
    }
}
