package io.tiergate.transcription.engine.sphinx4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.audio.Pcm16;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.TestConfigs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sphinx 4 on a short real clip: it hears the words within its configured beam, and a failed chunk does not break it. */
class Sphinx4EngineTest {

    private static final EngineRequest PLAIN = new EngineRequest(Optional.empty(), Optional.empty(), 0, true, false);
    private static float[] clip;
    private static Sphinx4Engine engine;

    @BeforeAll
    static void loadModelAndClip() throws Exception {
        // "he was not an ill disposed young man", 3 s
        clip = TestAssets.samples(TestAssets.path("asr/librivox_sense_and_sensibility_01_austen_64kb-0880.wav"));
        engine = engine(2000);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void hearsTheSpeechAndTimesEachWord() throws Exception {
        List<TranscriptWord> words = words(engine.transcribe(clip, PLAIN));

        assertThat(engine.status().ready()).isTrue();
        assertThat(words).extracting(TranscriptWord::word).contains("young", "man");
        assertThat(words).allSatisfy(word -> assertThat(word.start()).isBetween(0.0, word.end()));
    }

    @Test
    void theConfiguredBeamIsTheOneItSearchesWith() throws Exception {
        try (Sphinx4Engine narrow = engine(100)) {
            assertThat(words(narrow.transcribe(clip, PLAIN))).isNotEqualTo(words(engine.transcribe(clip, PLAIN)));
        }
    }

    @Test
    void aChunkAfterOneItFailedOnIsStillRecognised() throws Exception {
        InputStream breaksHalfway = new SequenceInputStream(new ByteArrayInputStream(Pcm16.encode(clip)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        assertThatThrownBy(() -> engine.recognize(breaksHalfway)).isInstanceOf(IOException.class);

        assertThat(words(engine.transcribe(clip, PLAIN))).extracting(TranscriptWord::word).contains("young", "man");
    }

    private static Sphinx4Engine engine(int beam) {
        return new Sphinx4Engine(TestConfigs.transcription(
                "tiergate.transcription.sphinx4.absolute-beam-width", Integer.toString(beam)).sphinx4(), 1);
    }

    private static List<TranscriptWord> words(EngineOutput output) {
        return output.segments().stream().flatMap(segment -> segment.words().stream()).toList();
    }
}
