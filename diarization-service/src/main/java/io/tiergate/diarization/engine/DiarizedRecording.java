package io.tiergate.diarization.engine;

import io.tiergate.common.diarization.SpeakerTurn;
import java.util.List;

/**
 * Who spoke when in one recording.
 *
 * @param durationSeconds how long the recording plays
 * @param turns           speaker turns in order of start; two turns overlap where two speakers talk at once
 * @param overlap         where more than one speaker talks, as the engine found it (empty when it does not look)
 */
public record DiarizedRecording(double durationSeconds, List<SpeakerTurn> turns, List<TimeSpan> overlap) {

    public DiarizedRecording {
        turns = List.copyOf(turns);
        overlap = List.copyOf(overlap);
    }

    /** The distinct speaker labels, in order of first turn. */
    public List<String> speakers() {
        return turns.stream().map(SpeakerTurn::speaker).distinct().toList();
    }
}
