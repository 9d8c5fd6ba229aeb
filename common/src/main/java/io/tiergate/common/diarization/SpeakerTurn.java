package io.tiergate.common.diarization;

/**
 * A stretch of a recording in which one speaker talks.
 *
 * @param speaker the speaker's label, one token (RTTM has no room for spaces)
 * @param start   seconds from the start of the recording
 * @param end     seconds from the start of the recording, not before {@code start}
 */
public record SpeakerTurn(String speaker, double start, double end) {
}
