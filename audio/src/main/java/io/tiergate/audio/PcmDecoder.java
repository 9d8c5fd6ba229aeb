package io.tiergate.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Decodes any recording ffmpeg reads to 16 kHz mono samples, streamed from the ffmpeg process as it decodes, so an
 * hour of audio never sits in memory.
 */
public final class PcmDecoder {

    /** The sample rate every speech engine here takes. */
    public static final int SAMPLE_RATE = 16_000;

    private final AudioTools tools;

    public PcmDecoder(AudioTools tools) {
        this.tools = tools;
    }

    /** Starts decoding; the caller reads the samples from the stream and closes it. */
    public PcmStream open(Path file) throws IOException {
        return new PcmStream(new ProcessBuilder(command(tools, file)).start());
    }

    /** How long a recording plays, counted by decoding it: for containers whose header does not say. */
    static double decodedSeconds(AudioTools tools, Path file) throws IOException {
        try (PcmStream stream = new PcmStream(new ProcessBuilder(command(tools, file)).start())) {
            float[] buffer = new float[SAMPLE_RATE];
            long samples = 0;
            for (int read; (read = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                samples += read;
            }
            return samples / (double) SAMPLE_RATE;
        }
    }

    private static List<String> command(AudioTools tools, Path file) {
        return List.of(tools.ffmpeg().toString(), "-nostdin", "-v", "error", "-i", file.toString(), "-vn", "-sn", "-dn",
                "-ac", "1", "-ar", Integer.toString(SAMPLE_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1");
    }
}
