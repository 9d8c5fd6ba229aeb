package io.tiergate.common.transcription;

/** One timed word of OpenAI's {@code verbose_json}, in seconds from the start of the recording. */
public record TranscriptWord(String word, double start, double end) {
}
