package io.tiergate.router;

import io.tiergate.speech.fixtures.SharedAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real recordings for the speech endpoints: the shared assets beside the repository, and silence made with ffmpeg. */
final class Recordings {

    /** JFK's "ask not" sentence: 11.0 s of 16 kHz mono WAV, 352,078 bytes. */
    static final byte[] JFK = read(SharedAssets.locate().resolve("asr/jfk.wav"));
    static final double JFK_SECONDS = 11.0;

    private Recordings() {}

    /** {@code seconds} of 16 kHz mono 16-bit silence as a WAV file, written by ffmpeg. */
    static Path silence(Path dir, int seconds) {
        Path wav = dir.resolve("silence-" + seconds + ".wav");
        try {
            Process ffmpeg = new ProcessBuilder(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "anullsrc=r=16000:cl=mono", "-t", Integer.toString(seconds), "-c:a", "pcm_s16le", wav.toString()))
                    .redirectErrorStream(true).start();
            if (!ffmpeg.waitFor(30, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg could not write " + wav + ": " + new String(ffmpeg.getInputStream().readAllBytes()));
            }
            return wav;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
