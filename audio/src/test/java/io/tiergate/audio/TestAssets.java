package io.tiergate.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The shared test assets (never copied into the repository), and their samples. */
public final class TestAssets {

    private TestAssets() {
    }

    /** A file under {@code ../shared/assets}, next to the repository root (the directory holding {@code mvnw}). */
    public static Path path(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (with mvnw) above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("../shared/assets").resolve(relative).normalize();
    }

    /** All of a recording's samples, at 16 kHz mono, decoded as the services decode them. */
    public static float[] samples(Path file) {
        AudioTools tools = AudioTools.onPath();
        try {
            AudioInfo info = new AudioProbe(tools).probe(file, 3600);
            try (PcmStream stream = new PcmDecoder(tools).open(file, info)) {
                float[] samples = new float[(int) (info.durationSeconds() * PcmDecoder.SAMPLE_RATE) + PcmDecoder.SAMPLE_RATE];
                int count = stream.readFully(samples, 0, samples.length);
                return Arrays.copyOf(samples, count);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
