package io.tiergate.common.diarization;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A timed word with who said it.
 *
 * @param word    the word as transcribed
 * @param start   seconds from the start of the recording
 * @param end     seconds from the start of the recording
 * @param speaker the speaker's label; null (left out of the JSON) when no turn covers the word or is near it
 * @param overlap true when the word falls in overlapped speech, so its speaker is less certain; left out when false
 */
public record AttributedWord(String word, double start, double end,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String speaker,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean overlap) {
}
