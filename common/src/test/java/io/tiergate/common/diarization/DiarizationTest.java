package io.tiergate.common.diarization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiarizationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<SpeakerTurn> TURNS = List.of(new SpeakerTurn("SPEAKER_00", 0.5, 3.25),
            new SpeakerTurn("SPEAKER_01", 3, 6), new SpeakerTurn("SPEAKER_00", 6, 7.125));
    private static final Diarization DIARIZATION = new Diarization(8, List.of("SPEAKER_00", "SPEAKER_01"), TURNS,
            OverlappedSpeech.in(TURNS), "sphinx4-bic");

    @Test
    void travelsAsJsonWithTheIssuesNames() throws Exception {
        assertThat(JSON.writeValueAsString(DIARIZATION)).isEqualTo("{\"duration\":8.0,"
                + "\"speakers\":[\"SPEAKER_00\",\"SPEAKER_01\"],"
                + "\"segments\":[{\"speaker\":\"SPEAKER_00\",\"start\":0.5,\"end\":3.25},"
                + "{\"speaker\":\"SPEAKER_01\",\"start\":3.0,\"end\":6.0},"
                + "{\"speaker\":\"SPEAKER_00\",\"start\":6.0,\"end\":7.125}],"
                + "\"overlap\":[{\"start\":3.0,\"end\":3.25,\"speakers\":[\"SPEAKER_00\",\"SPEAKER_01\"]}],"
                + "\"engine\":\"sphinx4-bic\"}");
        assertThat(JSON.readValue(JSON.writeValueAsString(DIARIZATION), Diarization.class)).isEqualTo(DIARIZATION);
        assertThat(JSON.writeValueAsString(new OverlappedSpeech(1, 2, null))).isEqualTo("{\"start\":1.0,\"end\":2.0}");
    }

    @Test
    void rendersAsRttmOneLinePerTurn() {
        assertThat(DiarizationRttm.render(DIARIZATION, "meeting-7")).isEqualTo("""
                SPEAKER meeting-7 1 0.500 2.750 <NA> <NA> SPEAKER_00 <NA> <NA>
                SPEAKER meeting-7 1 3.000 3.000 <NA> <NA> SPEAKER_01 <NA> <NA>
                SPEAKER meeting-7 1 6.000 1.125 <NA> <NA> SPEAKER_00 <NA> <NA>
                """);
    }

    @Test
    void rttmRefusesAUriOrSpeakerThatWouldShiftItsFields() {
        assertThatThrownBy(() -> DiarizationRttm.render(DIARIZATION, "my meeting"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uri");
        Diarization spacedSpeaker = new Diarization(1, List.of("Jane Doe"), List.of(new SpeakerTurn("Jane Doe", 0, 1)),
                List.of(), "test");
        assertThatThrownBy(() -> DiarizationRttm.render(spacedSpeaker, "m"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speaker");
    }

    @Test
    void overlappedSpeechIsWhereTwoOrMoreSpeakersTalkWithEveryoneInIt() {
        List<SpeakerTurn> turns = List.of(new SpeakerTurn("A", 0, 5), new SpeakerTurn("A", 8, 9),
                new SpeakerTurn("A", 8.5, 10), new SpeakerTurn("B", 4, 6), new SpeakerTurn("C", 4.5, 8));

        // A, B and C overlap in turn from 4 to 6: one stretch with all three; C and A touch at 8, and A's
        // own turns overlapping is not overlapped speech.
        assertThat(OverlappedSpeech.in(turns)).containsExactly(new OverlappedSpeech(4, 6, List.of("A", "B", "C")));
    }
}
