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

    /** The {@code engine} of an answer whose speakers a {@code diarized_json} transcript named. */
    public static final String TRANSCRIPT_ENGINE = "transcript";

    /**
     * An OpenAI {@code diarized_json} transcription as the answer, without running any engine: its segments and
     * speaker labels as it gives them ({@link SpeakerAlignment#fromDiarized}), the speakers in order of first segment,
     * overlap wherever two speakers' segments overlap; {@code engine} is {@value #TRANSCRIPT_ENGINE}.
     *
     * @param duration seconds of audio, as the recording was measured
     */
    public static AttributedDiarization fromDiarized(DiarizedTranscript transcript, double duration) {
        List<AttributedSegment> segments = SpeakerAlignment.fromDiarized(transcript).segments();
        List<SpeakerTurn> turns = turnsOf(segments);
        List<String> speakers = turns.stream().map(SpeakerTurn::speaker).distinct().toList();
        return new AttributedDiarization(duration, speakers, segments, OverlappedSpeech.in(turns), TRANSCRIPT_ENGINE);
    }

    /** The same answer without its text: who spoke when, as {@link DiarizationRttm} writes it. */
    public Diarization withoutText() {
        return new Diarization(duration, speakers, turnsOf(segments), overlap, engine);
    }

    /** Each segment's speaker and times; segments nobody is known to have said are left out. */
    private static List<SpeakerTurn> turnsOf(List<AttributedSegment> segments) {
        return segments.stream().filter(segment -> segment.speaker() != null)
                .map(segment -> new SpeakerTurn(segment.speaker(), segment.start(), segment.end())).toList();
    }
}
