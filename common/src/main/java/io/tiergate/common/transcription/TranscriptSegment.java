package io.tiergate.common.transcription;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One segment of OpenAI's {@code verbose_json}: its times are seconds from the start of the recording. */
public record TranscriptSegment(int id, int seek, double start, double end, String text, List<Integer> tokens,
                                double temperature,
                                @JsonProperty("avg_logprob") double avgLogprob,
                                @JsonProperty("compression_ratio") double compressionRatio,
                                @JsonProperty("no_speech_prob") double noSpeechProb) {
}
