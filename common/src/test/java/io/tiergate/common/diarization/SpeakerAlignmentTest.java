package io.tiergate.common.diarization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptSegment;
import io.tiergate.common.transcription.TranscriptWord;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeakerAlignmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<SpeakerTurn> A_THEN_B = List.of(new SpeakerTurn("A", 0, 2), new SpeakerTurn("B", 2, 4));

    @Test
    void aWordStraddlingATurnBoundaryGoesToTheSpeakerCoveringMoreOfIt() {
        AttributedWord word = onlyWord(SpeakerAlignment.align(transcript(word("hello", 1.8, 2.5)), A_THEN_B));

        assertThat(word.speaker()).isEqualTo("B");
    }

    @Test
    void aWordInAGapGoesToTheNearestTurnWithinTheToleranceElseToNobody() {
        List<SpeakerTurn> turns = List.of(new SpeakerTurn("A", 0, 2), new SpeakerTurn("B", 3, 5));

        assertThat(onlyWord(SpeakerAlignment.align(transcript(word("um", 2.1, 2.3)), turns)).speaker())
                .isEqualTo("A");
        assertThat(onlyWord(SpeakerAlignment.align(transcript(word("um", 2.6, 2.8)), turns)).speaker())
                .isEqualTo("B");
        assertThat(onlyWord(SpeakerAlignment.align(transcript(word("echo", 6, 6.5)), turns)).speaker()).isNull();
        assertThat(onlyWord(SpeakerAlignment.align(transcript(word("um", 2.1, 2.3)), turns, 0)).speaker()).isNull();
    }

    @Test
    void wordsInOverlappedSpeechAreMarked() {
        List<SpeakerTurn> turns = List.of(new SpeakerTurn("A", 0, 3), new SpeakerTurn("B", 2, 5));
        Transcript transcript = transcript(word("alone", 0.5, 1), word("together", 2.2, 2.6), word("after", 3.5, 4));

        List<AttributedWord> words = SpeakerAlignment.align(transcript, turns).segments().stream()
                .flatMap(segment -> segment.words().stream()).toList();

        assertThat(words).extracting(AttributedWord::overlap).containsExactly(false, true, false);
        assertThat(words).extracting(AttributedWord::speaker).containsExactly("A", "A", "B");
    }

    @Test
    void aSegmentIsSplitWhereTheSpeakerChangesKeepingItsText() throws Exception {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, "Hello there. How are you?",
                List.of(segment(0, 4, " Hello there. How are you?")),
                List.of(word("Hello", 0, 0.5), word("there", 0.5, 1), word("How", 2.2, 2.5), word("are", 2.5, 2.8),
                        word("you", 2.8, 3.2)));

        SpeakerAttributedTranscript attributed = SpeakerAlignment.align(transcript,
                List.of(new SpeakerTurn("A", 0, 1.5), new SpeakerTurn("B", 2, 4)));

        assertThat(attributed.segments()).extracting(AttributedSegment::speaker, AttributedSegment::start,
                AttributedSegment::end, AttributedSegment::text).containsExactly(
                tuple("A", 0.0, 1.0, "Hello there."),
                tuple("B", 2.2, 4.0, "How are you?"));
        assertThat(JSON.writeValueAsString(attributed.segments().get(0).words().get(0)))
                .isEqualTo("{\"word\":\"Hello\",\"start\":0.0,\"end\":0.5,\"speaker\":\"A\"}");
    }

    @Test
    void wordsNotFoundInTheSegmentTextMakeEachPiecesTextFromItsWords() {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, "Hi. Bye.",
                List.of(segment(0, 4, "Hi. Bye.")), List.of(word("hullo", 0, 1), word("goodbye", 2.5, 3)));

        assertThat(SpeakerAlignment.align(transcript, A_THEN_B).segments()).extracting(AttributedSegment::text)
                .containsExactly("hullo", "goodbye");
    }

    @Test
    void aWordIsLookedForNearWhereTheOneBeforeItEndedNotAnywhereInALongText() {
        // A caller's transcript whose words are not its text would otherwise be searched from every position.
        String text = "Hi. " + "um ".repeat(40) + "Bye.";
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, text,
                List.of(segment(0, 4, text)), List.of(word("Hi.", 0, 1), word("Bye.", 2.5, 3)));

        assertThat(SpeakerAlignment.align(transcript, A_THEN_B).segments()).extracting(AttributedSegment::text)
                .containsExactly("Hi.", "Bye.");
    }

    @Test
    void aWordBeyondItsSegmentsEndMakesAPieceThatSpansItStartingBeforeItEnds() {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, "Hello there",
                List.of(segment(0, 1.5, "Hello there")), List.of(word("Hello", 0, 0.5), word("there", 3, 3.5)));

        List<AttributedSegment> segments = SpeakerAlignment.align(transcript, A_THEN_B).segments();

        assertThat(segments).extracting(AttributedSegment::speaker, AttributedSegment::start, AttributedSegment::end,
                AttributedSegment::text).containsExactly(tuple("A", 0.0, 0.5, "Hello"), tuple("B", 3.0, 3.5, "there"));
    }

    @Test
    void wordsSentOutOfOrderAreDealtToSegmentsInOrderOfTimeEachOnce() {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, "Hello there. How are you?",
                List.of(segment(2, 4, "How are you?"), segment(0, 1.5, "Hello there.")),
                List.of(word("How", 2.2, 2.5), word("Hello", 0, 0.5), word("there", 0.5, 1), word("are", 2.5, 2.8),
                        word("you", 2.8, 3.2)));

        List<AttributedSegment> segments = SpeakerAlignment.align(transcript, A_THEN_B).segments();

        assertThat(segments).extracting(AttributedSegment::speaker, AttributedSegment::text)
                .containsExactly(tuple("A", "Hello there."), tuple("B", "How are you?"));
        assertThat(segments.get(1).words()).extracting(AttributedWord::word).containsExactly("How", "are", "you");
    }

    @Test
    void anEmptyTranscriptHasNoSegments() {
        Transcript empty = new Transcript(Transcript.TRANSCRIBE, "english", 3, "", List.of(), List.of());

        assertThat(SpeakerAlignment.align(empty, A_THEN_B).segments()).isEmpty();
    }

    @Test
    void withoutWordTimesEachSegmentGoesWholeToWhoeverTalksMostDuringIt() throws Exception {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, "Hello there. How are you?",
                List.of(segment(0, 2.5, "Hello there."), segment(2.5, 4, " How are you?"), segment(9, 10, "Echo.")),
                null);

        SpeakerAttributedTranscript attributed = SpeakerAlignment.align(transcript, A_THEN_B);

        assertThat(attributed.segments()).extracting(AttributedSegment::speaker).containsExactly("A", "B", null);
        assertThat(attributed.segments()).allSatisfy(segment -> assertThat(segment.words()).isEmpty());
        assertThat(JSON.writeValueAsString(attributed.segments().get(2)))
                .isEqualTo("{\"start\":9.0,\"end\":10.0,\"text\":\"Echo.\",\"words\":[]}");
    }

    @Test
    void aTranscriptWithWordsButNoSegmentsIsOneSegmentSplitBySpeaker() {
        Transcript transcript = new Transcript(Transcript.TRANSCRIBE, "english", 4, "Hello there", null,
                List.of(word("Hello", 0.5, 1), word("there", 2.5, 3)));

        assertThat(SpeakerAlignment.align(transcript, A_THEN_B).segments())
                .extracting(AttributedSegment::speaker, AttributedSegment::text).containsExactly(
                        tuple("A", "Hello"),
                        tuple("B", "there"));
    }

    @Test
    void anOpenAiDiarizedJsonAnswerIsTakenAsAttributed() throws Exception {
        // The documented shape; OpenAI may leave out task and duration, and adds a token usage.
        String diarizedJson = """
                {"text": "Ask not. Ask what.",
                 "segments": [
                   {"type": "transcript.text.segment", "id": "seg_0", "start": 0.0, "end": 7.5,
                    "text": " Ask not.", "speaker": "A"},
                   {"type": "transcript.text.segment", "id": "seg_1", "start": 8.15, "end": 10.3,
                    "text": " Ask what.", "speaker": "B"}],
                 "usage": {"type": "tokens", "total_tokens": 431}}
                """;

        SpeakerAttributedTranscript attributed = SpeakerAlignment.fromDiarized(
                JSON.readValue(diarizedJson, DiarizedTranscript.class));

        assertThat(attributed.segments()).containsExactly(
                new AttributedSegment("A", 0.0, 7.5, "Ask not.", List.of()),
                new AttributedSegment("B", 8.15, 10.3, "Ask what.", List.of()));
    }

    @Test
    void refusesANegativeTolerance() {
        assertThatThrownBy(() -> SpeakerAlignment.align(transcript(word("a", 0, 1)), A_THEN_B, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
    }

    private static AttributedWord onlyWord(SpeakerAttributedTranscript attributed) {
        assertThat(attributed.segments()).hasSize(1);
        assertThat(attributed.segments().get(0).words()).hasSize(1);
        return attributed.segments().get(0).words().get(0);
    }

    /** One segment spanning the words, its text the words joined. */
    private static Transcript transcript(TranscriptWord... words) {
        List<TranscriptWord> list = List.of(words);
        String text = String.join(" ", list.stream().map(TranscriptWord::word).toList());
        return new Transcript(Transcript.TRANSCRIBE, "english", 10, text,
                List.of(segment(list.get(0).start(), list.get(list.size() - 1).end(), text)), list);
    }

    private static TranscriptSegment segment(double start, double end, String text) {
        return new TranscriptSegment(0, 0, start, end, text, List.of(), 0, 0, 0, 0);
    }

    private static TranscriptWord word(String word, double start, double end) {
        return new TranscriptWord(word, start, end);
    }
}
