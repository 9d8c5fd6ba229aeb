package io.tiergate.common.diarization;

import java.util.List;

/**
 * A diarization pod's answer when the caller sent a transcript: who said what. Its members are those of
 * {@link Diarization}, but each segment carries its text and words ({@link SpeakerAlignment}), so a reader of
 * {@code segments[].speaker/start/end} reads either answer.
 *
 * @param duration seconds of audio
 * @param speakers the speakers' labels, in order of first turn (a speaker who said no transcribed word is listed too)
 * @param segments stretches of one speaker each, in order
 * @param overlap  the stretches where two or more speakers talk at once
 * @param engine   what named the speakers: the diarization engine, or {@code transcript} when the transcript did
 */
public record AttributedDiarization(double duration, List<String> speakers, List<AttributedSegment> segments,
                                    List<OverlappedSpeech> overlap, String engine) {
}
