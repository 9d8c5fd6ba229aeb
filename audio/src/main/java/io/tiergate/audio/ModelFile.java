package io.tiergate.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a model file ONNX Runtime is to load, or why there are none to load. */
public final class ModelFile {

    /** Why a model file cannot be read; its message completes "model {path} ...". */
    public static final class Unreadable extends Exception {
        Unreadable(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    private ModelFile() {}

    /**
     * @param whenMissing what the problem says when the file does not exist (e.g. how to fetch it)
     */
    public static byte[] read(Path file, String whenMissing) throws Unreadable {
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
