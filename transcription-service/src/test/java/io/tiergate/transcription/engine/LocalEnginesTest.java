package io.tiergate.transcription.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.audio.testing.TestAssets;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.engine.pocketsphinx.PocketsphinxEngine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CPU engines on a real recording: they hear the words, time them inside the audio, and say when they cannot run. */
class LocalEnginesTest {

    private static final EngineRequest PLAIN = new EngineRequest(Optional.empty(), Optional.empty(), 0, true, false);

    @Test
    void pocketsphinxHearsTheSpeechAndTimesEachWord() throws Exception {
        PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1);
        float[] samples = TestAssets.samples(TestAssets.path("asr/jfk.wav"));

        EngineOutput output = engine.transcribe(samples, PLAIN);

        assertThat(engine.status().ready()).isTrue();
        List<TranscriptWord> words = output.segments().stream().flatMap(s -> s.words().stream()).toList();
        assertThat(words).extracting(TranscriptWord::word).contains("country", "you");
        assertThat(words).allSatisfy(word -> assertThat(word.start()).isBetween(0.0, word.end()));
        assertThat(words.get(words.size() - 1).end()).isLessThanOrEqualTo(11.0);
        assertThat(output.segments()).allSatisfy(segment -> assertThat(segment.text()).doesNotContain("<", "[", "("));
    }

    @Test
    void pocketsphinxWithoutItsModelIsNotReadyAndSaysWhy() {
        PocketsphinxEngine engine = new PocketsphinxEngine(
                TestConfigs.transcription("tiergate.transcription.pocketsphinx.model-dir", "/nonexistent/en-us").pocketsphinx(), 1);

        assertThat(engine.status().ready()).isFalse();
        assertThat(engine.status().detail()).contains("/nonexistent/en-us", "pocketsphinx-en-us");
    }

    @Test
    void pocketsphinxWithoutItsProgramIsNotReadyAndSaysWhy() {
        PocketsphinxEngine engine = new PocketsphinxEngine(
                TestConfigs.transcription("tiergate.transcription.pocketsphinx.binary", "/nonexistent/pocketsphinx").pocketsphinx(), 1);

        assertThat(engine.status().ready()).isFalse();
        assertThat(engine.status().detail()).contains("cannot be run");
    }

    @Test
    void silenceGivesNoText() throws Exception {
        PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1);

        assertThat(engine.transcribe(new float[16_000 * 2], PLAIN).segments()).isEmpty();
    }

}
