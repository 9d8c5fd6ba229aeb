package io.tiergate.diarization.engine.onnx;

import java.nio.file.Path;

/** An ONNX model could not be loaded: its message says which model, which file and what is wrong, for readiness. */
public final class OnnxModelException extends Exception {

    /** @param role what the model does, e.g. "speaker-embedding" */
    OnnxModelException(String role, Path model, String problem, Throwable cause) {
        super("the ONNX " + role + " model " + model + " " + problem, cause);
    }
}
