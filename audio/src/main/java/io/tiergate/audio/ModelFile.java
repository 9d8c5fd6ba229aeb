package io.tiergate.audio;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model file opened with ONNX Runtime, or why it cannot be: missing, unreadable, empty, not ONNX, no runtime. */
public final class ModelFile {

    /** Why a model file cannot be read; its message completes "model {path} ...". */
    public static final class Unreadable extends Exception {
        Unreadable(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /** What a session is set up with besides what every model here gets (one inter-op thread, all optimisations). */
    @FunctionalInterface
    public interface SessionSetup {
        void apply(OrtSession.SessionOptions options) throws OrtException;
    }

    private ModelFile() {}

    /**
     * Reads the file and opens an ONNX Runtime session on it.
     *
     * @param whenMissing what the problem says when the file does not exist (e.g. how to fetch it)
     */
    public static OrtSession open(Path file, String whenMissing, SessionSetup setup) throws Unreadable {
        byte[] bytes = read(file, whenMissing);
        OrtEnvironment environment;
        try {
            environment = OrtEnvironment.getEnvironment();
        } catch (LinkageError | RuntimeException e) {
            throw new Unreadable("cannot be run: ONNX Runtime did not start (" + e + ")", e);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            setup.apply(options);
            return environment.createSession(bytes, options);
        } catch (OrtException e) {
            throw new Unreadable("is not a valid ONNX model (truncated or corrupt?): " + e.getMessage(), e);
        }
    }

    /** Closes a session, as far as it can be: one that fails to close leaves nothing else to do. */
    public static void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Nothing is left to do with a session that failed to close.
        }
    }

    private static byte[] read(Path file, String whenMissing) throws Unreadable {
        if (!Files.exists(file)) {
            throw new Unreadable(whenMissing, null);
        }
        if (!Files.isRegularFile(file)) {
            throw new Unreadable("is not a file", null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new Unreadable("cannot be read: " + e, e);
        }
        if (bytes.length == 0) {
            throw new Unreadable("is empty", null);
        }
        return bytes;
    }
}
