package io.tiergate.common.transcription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.common.problem.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TranscriptionOptionsTest {

    private static TranscriptionOptions parse(Map<String, List<String>> form) {
        return TranscriptionOptions.from(name -> form.getOrDefault(name, List.of()));
    }

    private static void assertRefused(Map<String, List<String>> form, String field) {
        assertThatThrownBy(() -> parse(form)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo(field);
        });
    }

    @Test
    void anEmptyFormAsksForJsonFromAnyModel() {
        TranscriptionOptions options = parse(Map.of());

        assertThat(options.model()).isEqualTo("auto");
        assertThat(options.responseFormat()).isEqualTo(ResponseFormat.JSON);
        assertThat(options.language()).isEmpty();
        assertThat(options.wantsWords()).isFalse();
    }

    @Test
    void wordTimestampsComeWithVerboseJson() {
        TranscriptionOptions options = parse(Map.of("response_format", List.of("verbose_json"),
                "timestamp_granularities[]", List.of("word", "segment"), "language", List.of("EN")));

        assertThat(options.wantsWords()).isTrue();
        assertThat(options.language()).contains("en");
        assertThat(TranscriptionOptions.languageName("en")).isEqualTo("english");
    }

    @Test
    void temperatureIsAPlainDecimal() {
        assertThat(parse(Map.of("temperature", List.of("0.25"))).temperature()).isEqualTo(0.25);
        assertThat(parse(Map.of("temperature", List.of(".5"))).temperature()).isEqualTo(0.5);
        assertThat(parse(Map.of("temperature", List.of("1"))).temperature()).isEqualTo(1.0);
    }

    @Test
    void aStreamedTranscriptionIsRefusedAndStreamFalseIsTaken() {
        assertRefused(Map.of("stream", List.of("true")), "stream");
        assertRefused(Map.of("stream", List.of(" TRUE ")), "stream");
        assertThat(parse(Map.of("stream", List.of("false"))).responseFormat()).isEqualTo(ResponseFormat.JSON);
    }

    @Test
    void eachWrongFieldIsNamed() {
        assertRefused(Map.of("language", List.of("english")), "language");
        assertRefused(Map.of("temperature", List.of("1.5")), "temperature");
        assertRefused(Map.of("temperature", List.of("warm")), "temperature");
        // Java spellings of a number that no provider takes.
        assertRefused(Map.of("temperature", List.of("0x1p-1")), "temperature");
        assertRefused(Map.of("temperature", List.of("0.5d")), "temperature");
        assertRefused(Map.of("temperature", List.of("NaN")), "temperature");
        assertRefused(Map.of("temperature", List.of("-0")), "temperature");
        assertRefused(Map.of("response_format", List.of("xml")), "response_format");
        assertRefused(Map.of("timestamp_granularities[]", List.of("word")), "timestamp_granularities[]");
        assertRefused(Map.of("response_format", List.of("verbose_json"), "timestamp_granularities[]", List.of("char")),
                "timestamp_granularities[]");
        assertRefused(Map.of("model", List.of("a", "b")), "model");
        assertRefused(Map.of("prompt", List.of("x".repeat(5000))), "prompt");
    }

    @Test
    void subtitlesAreNumberedInSrtAndHeadedInVtt() {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 3.5, "Hello there.",
                List.of(new TranscriptSegment(0, 0, 0.0, 1.25, " Hello", List.of(), 0, 0, 0, 0),
                        new TranscriptSegment(1, 0, 1.25, 3661.5, " there.", List.of(), 0, 0, 0, 0)), null);

        assertThat(ResponseFormat.SRT.render(transcript)).isEqualTo(
                "1\n00:00:00,000 --> 00:00:01,250\nHello\n\n2\n00:00:01,250 --> 01:01:01,500\nthere.\n\n");
        assertThat(ResponseFormat.VTT.render(transcript)).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:01.250\nHello\n");
        assertThat(ResponseFormat.JSON.render(transcript)).isEqualTo("{\"text\":\"Hello there.\"}");
        assertThat(ResponseFormat.VERBOSE_JSON.render(transcript)).contains("\"avg_logprob\":0.0").doesNotContain("words");
    }
}
