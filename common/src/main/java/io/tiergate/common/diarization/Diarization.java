package io.tiergate.common.diarization;

import java.util.List;

/**
 * A diarization pod's answer: who speaks when.
 *
 * @param duration seconds of audio
 * @param speakers the speakers' labels, in order of first turn
 * @param segments the turns, in order of start; a speaker's turns do not overlap, different speakers' may
 * @param overlap  the stretches where two or more speakers talk at once ({@link OverlappedSpeech#in})
 * @param engine   the diarization engine that answered
 */
public record Diarization(double duration, List<String> speakers, List<SpeakerTurn> segments,
                          List<OverlappedSpeech> overlap, String engine) {
}
