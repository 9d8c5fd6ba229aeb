package io.tiergate.diarization.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpeakerCountHintTest {

    @Test
    void boundsComeFromTheCallerWhenGivenAndFromTheEngineOtherwise() {
        assertThat(SpeakerCountHint.exactly(3).lowest(1)).isEqualTo(3);
        assertThat(SpeakerCountHint.exactly(3).highest(20)).isEqualTo(3);
        assertThat(SpeakerCountHint.between(2, null).highest(20)).isEqualTo(20);
        assertThat(SpeakerCountHint.between(null, 30).highest(20)).as("a caller may ask for more").isEqualTo(30);
        assertThat(SpeakerCountHint.between(25, null).highest(20)).isEqualTo(25);
        assertThat(SpeakerCountHint.UNKNOWN.lowest(1)).isEqualTo(1);
    }

    @Test
    void contradictoryHintsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> SpeakerCountHint.between(4, 2)).hasMessageContaining("min_speakers");
        assertThatThrownBy(() -> SpeakerCountHint.exactly(0)).hasMessageContaining("num_speakers");
        assertThatThrownBy(() -> new SpeakerCountHint(2, 1, null)).hasMessageContaining("num_speakers");
    }
}
