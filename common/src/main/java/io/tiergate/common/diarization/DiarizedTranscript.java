package io.tiergate.common.diarization;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * OpenAI's {@code diarized_json} transcription ({@code gpt-4o-transcribe-diarize}): segments already carry their
 * speaker. Its token {@code usage} is not kept.
 *
 * @param task     {@code transcribe}; OpenAI sometimes leaves it out
 * @param duration seconds of audio; OpenAI sometimes leaves it out, so it may be null
 * @param text     the whole text
 * @param segments the speaker segments, in order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiarizedTranscript(String task, Double duration, String text, List<DiarizedSegment> segments) {
}
