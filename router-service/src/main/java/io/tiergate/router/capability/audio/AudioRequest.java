package io.tiergate.router.capability.audio;

import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.form.AudioForm;

/**
 * An upload of a recording as the router routes it: the caller's form, its text fields validated into the
 * capability's options, and its recording, probed. The form's files are the intake's, deleted once the response has
 * ended.
 *
 * @param <O> the capability's options, e.g. {@link io.tiergate.common.transcription.TranscriptionOptions}
 */
public record AudioRequest<O>(AudioForm form, O options, AudioInfo audio) {

    /** Whole seconds of audio, rounded up: what quota holds for the call and what its cost is reckoned from. */
    public long audioSeconds() {
        return (long) Math.ceil(audio.durationSeconds());
    }
}
