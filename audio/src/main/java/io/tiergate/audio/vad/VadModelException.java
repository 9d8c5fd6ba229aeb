package io.tiergate.audio.vad;

import java.nio.file.Path;

/** The VAD model could not be loaded: its message says which file and what is wrong with it, for a readiness check. */
public final class VadModelException extends Exception {

    private final Path model;

    VadModelException(Path model, String problem, Throwable cause) {
        super("Silero VAD model " + model + " " + problem, cause);
        this.model = model;
    }

    /** The file that was to be loaded. */
    public Path model() {
        return model;
    }
}
