package io.tiergate.common.transcription;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A transcription in OpenAI's {@code verbose_json} shape, which every other response format is rendered from.
 *
 * @param task     {@code transcribe} or {@code translate}
 * @param language the spoken language's name in English, lower case, as OpenAI reports it ({@code english})
 * @param duration seconds of audio
 * @param text     the whole text
 * @param segments timed stretches of text, in order
 * @param words    timed words, in order; null unless word timestamps were asked for
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Transcript(String task, String language, double duration, String text, List<TranscriptSegment> segments,
                         List<TranscriptWord> words) {

    public static final String TRANSCRIBE = "transcribe";
    public static final String TRANSLATE = "translate";
}
