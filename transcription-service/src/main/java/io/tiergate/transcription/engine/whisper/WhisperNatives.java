package io.tiergate.transcription.engine.whisper;

import io.github.givimad.whisperjni.WhisperJNI;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * whisper-jni's native libraries, loaded once per JVM, with whisper.cpp's log routed into the pod's log instead of
 * stderr. The log is also how the engine learns what whisper-jni 1.7.1 does not return: the language whisper.cpp
 * detected and why a load failed. whisper.cpp logs on the thread that called it, so each call collects its own lines.
 */
final class WhisperNatives {

    /** whisper-jni's own setting: a directory holding libwhisper-jni.so and its libraries, used instead of the jar's. */
    private static final String LIBRARY_DIRECTORY_PROPERTY = "io.github.givimad.whisperjni.libdir";
    private static final Logger LOG = Logger.getLogger(WhisperNatives.class);
    private static final ThreadLocal<List<String>> COLLECTED = new ThreadLocal<>();

    /** Why the libraries cannot load, empty once they have; null before the first attempt. */
    private static Optional<String> failure;

    private WhisperNatives() {
    }

    /**
     * Loads the libraries, from {@code directory} when given (only the first call's counts: a JVM loads them once).
     *
     * @return why they cannot load, e.g. a system library they need is missing
     */
    static synchronized Optional<String> load(Optional<Path> directory) {
        if (failure == null) {
            failure = attempt(directory);
        }
        return failure;
    }

    private static Optional<String> attempt(Optional<Path> directory) {
        directory.ifPresent(path -> System.setProperty(LIBRARY_DIRECTORY_PROPERTY, path.toAbsolutePath().toString()));
        try {
            WhisperJNI.loadLibrary(LOG::debug);
            WhisperJNI.setLibraryLogger(WhisperNatives::log);
            return Optional.empty();
        } catch (IOException | LinkageError | RuntimeException e) {
            // whisper-jni extracts the jar's libraries to java.io.tmpdir; dlopen names a missing dependency here
            return Optional.of("whisper's native libraries cannot load"
                    + directory.map(path -> " from " + path).orElse("") + ": " + e
                    + " (the jar's need Linux on x86-64 or arm64 with glibc 2.29 or later, libstdc++6, libgomp1 and a"
                    + " writable java.io.tmpdir)");
        }
    }

    /** Runs a native call, collecting into {@code lines} what whisper.cpp logs meanwhile on this thread. */
    static <T> T collecting(List<String> lines, NativeCall<T> call) throws IOException {
        COLLECTED.set(lines);
        try {
            return call.run();
        } finally {
            COLLECTED.remove();
        }
    }

    /** Called from whisper.cpp's native code, which must not be left with a pending Java exception. */
    private static void log(String text) {
        try {
            String line = text.strip();
            if (!line.isEmpty()) {
                List<String> lines = COLLECTED.get();
                if (lines != null) {
                    lines.add(line);
                }
                LOG.debug(line);
            }
        } catch (RuntimeException e) {
            // a log line is not worth undefined behaviour in the native caller
        }
    }

    @FunctionalInterface
    interface NativeCall<T> {
        T run() throws IOException;
    }
}
