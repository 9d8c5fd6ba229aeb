package io.tiergate.transcription.engine;

import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.PcmStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Real recordings from the shared test assets beside the repository, decoded as the pod decodes them. */
public final class EngineTestAudio {

    private EngineTestAudio() {
    }

    /** A file of {@code ../shared/assets}, found from the module's directory or the repository's. */
    public static Path asset(String relative) {
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            Path candidate = base.resolve("shared/assets").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the shared test assets are not beside the repository: " + relative);
    }

    public static float[] samples(Path file) throws IOException {
        float[] all = new float[PcmDecoder.SAMPLE_RATE * 30];
        int count = 0;
        try (PcmStream stream = new PcmDecoder(AudioTools.onPath()).open(file,
                new AudioProbe(AudioTools.onPath()).probe(file, 3600))) {
            for (int read; (read = stream.read(all, count, Math.min(4096, all.length - count))) > 0; ) {
                count += read;
                if (count == all.length) {
                    all = Arrays.copyOf(all, all.length * 2);
                }
            }
        }
        return Arrays.copyOf(all, count);
    }
}
