package io.tiergate.diarization.engine.onnx;

import java.nio.file.Path;

/** The speaker-embedding model could not be loaded: its message says which file and what is wrong, for readiness. */
public final class OnnxModelException extends Exception {

    OnnxModelException(Path model, String problem, Throwable cause) {
        super("the ONNX speaker-embedding model " + model + " " + problem, cause);
    }
}
