package io.tiergate.common.diarization;

import java.util.List;

/**
 * A transcript that says who said what ({@link SpeakerAlignment}).
 *
 * @param segments stretches of one speaker each, in order
 */
public record SpeakerAttributedTranscript(List<AttributedSegment> segments) {
}
