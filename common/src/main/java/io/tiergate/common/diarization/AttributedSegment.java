package io.tiergate.common.diarization;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A stretch of transcript said by one speaker.
 *
 * @param speaker the speaker's label; null (left out of the JSON) when unknown
 * @param start   seconds from the start of the recording
 * @param end     seconds from the start of the recording
 * @param text    what was said
 * @param words   the timed words said, in order; empty when the transcript has no word times
 */
public record AttributedSegment(@JsonInclude(JsonInclude.Include.NON_NULL) String speaker, double start, double end,
                                String text, List<AttributedWord> words) {
}
