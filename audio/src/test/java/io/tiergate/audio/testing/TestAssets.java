package io.tiergate.audio.testing;

import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.PcmStream;
import io.tiergate.speech.fixtures.SharedAssets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/** The shared test assets (never copied into the repository), and their samples. */
public final class TestAssets {

    private TestAssets() {
    }

    /** A file under {@code ../shared/assets}, next to the repository root (the directory holding {@code mvnw}). */
    public static Path path(String relative) {
        return SharedAssets.locate().resolve(relative);
    }

    /** The longest recording read whole: the benchmarks' 60-minute session runs a little over the hour. */
    private static final double LONGEST_SECONDS = 2 * 3600;

    /** All of a recording's samples, at 16 kHz mono, decoded as the services decode them. */
    public static float[] samples(Path file) {
        AudioTools tools = AudioTools.onPath();
        try {
            AudioInfo info = new AudioProbe(tools).probe(file, LONGEST_SECONDS);
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
