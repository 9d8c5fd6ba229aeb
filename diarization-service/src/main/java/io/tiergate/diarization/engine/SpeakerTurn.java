package io.tiergate.diarization.engine;

/**
 * One speaker talking from {@code start} to {@code end}, in seconds from the start of the recording.
 *
 * @param speaker a label that is the same for every turn of one speaker in the recording ({@code SPEAKER_00} ...)
 */
public record SpeakerTurn(String speaker, double start, double end) {

    public double duration() {
        return end - start;
    }
}
