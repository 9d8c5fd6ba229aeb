package io.tiergate.common.diarization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.common.problem.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiarizationOptionsTest {

    private static DiarizationOptions parse(Map<String, List<String>> form) {
        return DiarizationOptions.from(name -> form.getOrDefault(name, List.of()));
    }

    @Test
    void anEmptyFormAsksForJsonWithoutACountFromAnyModel() {
        DiarizationOptions options = parse(Map.of("num_speakers", List.of(" ")));

        assertThat(options.model()).isEqualTo("auto");
        assertThat(options.format()).isEqualTo(DiarizationOptions.Format.JSON);
        assertThat(options.speakers()).isEqualTo(new SpeakerCount(null, null, null));
        assertThat(options.speakers().most()).isEmpty();
    }

    @Test
    void theMostSpeakersExpectedIsTheCountElseTheUpperBound() {
        assertThat(parse(Map.of("num_speakers", List.of("3"))).speakers().most()).hasValue(3);
        assertThat(parse(Map.of("min_speakers", List.of("2"), "max_speakers", List.of("5"))).speakers().most()).hasValue(5);
        assertThat(parse(Map.of("min_speakers", List.of("2"))).speakers().most()).isEmpty();
        assertThat(parse(Map.of("response_format", List.of("rttm"))).format()).isEqualTo(DiarizationOptions.Format.RTTM);
    }

    @ParameterizedTest(name = "{0}={1} refused naming {3}")
    @CsvSource(delimiter = '|', textBlock = """
            num_speakers    | 0    |              |   | num_speakers
            num_speakers    | 65   |              |   | num_speakers
            num_speakers    | two  |              |   | num_speakers
            num_speakers    | +3   |              |   | num_speakers
            num_speakers    | ٣    |              |   | num_speakers
            max_speakers    | -1   |              |   | max_speakers
            min_speakers    | 4    | max_speakers | 3 | min_speakers
            num_speakers    | 2    | min_speakers | 1 | num_speakers
            response_format | srt  |              |   | response_format
            """)
    void badFieldsAreProblemsNamingThem(String name, String value, String otherName, String otherValue, String field) {
        Map<String, List<String>> form = otherName == null ? Map.of(name, List.of(value))
                : Map.of(name, List.of(value), otherName, List.of(otherValue));

        assertThatThrownBy(() -> parse(form)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo(field);
        });
    }

    @Test
    void aTranscriptHasNoRoomInRttm() {
        parse(Map.of()).checkTranscript(true);
        parse(Map.of("response_format", List.of("rttm"))).checkTranscript(false);
        assertThatThrownBy(() -> parse(Map.of("response_format", List.of("rttm"))).checkTranscript(true))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().field()).isEqualTo("response_format"));
    }

    @Test
    void anOpenAiDiarizedTranscriptIsAnAnswerWithItsOwnSpeakersAndOverlap() {
        DiarizedTranscript transcript = new DiarizedTranscript("transcribe", 9.0, "Hi. Hello. Bye.", List.of(
                new DiarizedSegment("transcript.text.segment", "seg_0", 0.5, 2.0, " Hi.", "Ana Lima"),
                new DiarizedSegment("transcript.text.segment", "seg_1", 1.5, 3.0, " Hello.", "B"),
                new DiarizedSegment("transcript.text.segment", "seg_2", 4.0, 5.0, " Bye.", "Ana Lima")));

        AttributedDiarization answer = AttributedDiarization.fromDiarized(transcript, 9.2);

        assertThat(answer.duration()).isEqualTo(9.2);
        assertThat(answer.speakers()).containsExactly("Ana Lima", "B");
        assertThat(answer.segments()).extracting(AttributedSegment::text).containsExactly("Hi.", "Hello.", "Bye.");
        assertThat(answer.overlap()).containsExactly(new OverlappedSpeech(1.5, 2.0, List.of("Ana Lima", "B")));
        assertThat(answer.engine()).isEqualTo("transcript");
        assertThat(answer.withoutText().segments()).containsExactly(new SpeakerTurn("Ana Lima", 0.5, 2.0),
                new SpeakerTurn("B", 1.5, 3.0), new SpeakerTurn("Ana Lima", 4.0, 5.0));
        assertThat(DiarizationRttm.speakerToken(" Ana  Lima ")).isEqualTo("Ana_Lima");
        assertThat(DiarizationRttm.uriOf("C:\\\\talks/Team meeting (1).mp3")).isEqualTo("Team_meeting_1_");
    }
}
