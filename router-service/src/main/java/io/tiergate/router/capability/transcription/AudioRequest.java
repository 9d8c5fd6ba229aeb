package io.tiergate.router.capability.transcription;

import io.tiergate.audio.AudioInfo;
import io.tiergate.common.transcription.TranscriptionOptions;

/**
 * A transcription or translation as the router routes it: the caller's form, its text fields validated, and its
 * recording, probed. It owns the recording's file, deleted when it is closed (once the response has ended).
 */
public record AudioRequest(AudioForm form, TranscriptionOptions options, AudioInfo audio) implements AutoCloseable {

    /** Whole seconds of audio, rounded up: what quota holds for the call and what its cost is reckoned from. */
    public long audioSeconds() {
        return (long) Math.ceil(audio.durationSeconds());
    }

    @Override
    public void close() {
        form.discard();
    }
}
