package io.tiergate.common.diarization;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One segment of OpenAI's {@code diarized_json}.
 *
 * @param type    always {@code transcript.text.segment}
 * @param id      the segment's id, such as {@code seg_0}
 * @param start   seconds from the start of the recording
 * @param end     seconds from the start of the recording
 * @param text    what was said, often with a leading space
 * @param speaker the speaker's label: {@code A}, {@code B}… or one of the known speaker names the request gave
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiarizedSegment(String type, String id, double start, double end, String text, String speaker) {
}
