package io.tiergate.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes any recording ffmpeg reads to 16 kHz mono samples, streamed from the ffmpeg process as it decodes, so an
 * hour of audio never sits in memory; a WAV file that already holds 16 kHz mono 16-bit samples is read as it is.
 */
public final class PcmDecoder {

    /** The sample rate every speech engine here takes. */
    public static final int SAMPLE_RATE = 16_000;

    /**
     * How far a decode may fall short of, or run past, the duration the probe read from the header: encoder delay and
     * padding (MP3, AAC, Opus) move it by tens of milliseconds, and long recordings drift a little more. A decode
     * outside this is a truncated or corrupt file (or a header that lies), refused rather than passed on.
     */
    static final double TOLERANCE_SECONDS = 0.5;
    static final double TOLERANCE_FRACTION = 0.02;

    private final AudioTools tools;

    public PcmDecoder(AudioTools tools) {
        this.tools = tools;
    }

    /**
     * Starts decoding a recording the probe took; the caller reads the samples from the stream and closes it. The decode
     * is held to the probed duration: it is refused (400, naming {@code file}) as soon as it runs past it, so a header
     * cannot understate a recording to get past the longest one taken, and at its end when it falls short of it (a
     * truncated or corrupt file decodes only part of what its header says).
     */
    public PcmStream open(Path file, AudioInfo probed) throws IOException {
        double tolerance = Math.max(TOLERANCE_SECONDS, probed.durationSeconds() * TOLERANCE_FRACTION);
        Optional<InputStream> ready = PlainWav.samples(file, probed);
        if (ready.isPresent()) {
            return PcmStream.ofFile(ready.get(), probed.durationSeconds(), tolerance);
        }
        return PcmStream.ofDecoder(start(tools, file), probed.durationSeconds(), tolerance);
    }

    /**
     * How long a recording plays, counted by decoding it: for containers whose header does not say. Counting stops
     * once it passes {@code maxSeconds}, so the answer is then just over it.
     */
    static double decodedSeconds(AudioTools tools, Path file, double maxSeconds) throws IOException {
        try (PcmStream stream = PcmStream.ofDecoder(start(tools, file), Double.NaN, 0)) {
            float[] buffer = new float[SAMPLE_RATE];
            long samples = 0;
            for (int read; samples <= maxSeconds * SAMPLE_RATE && (read = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                samples += read;
            }
            return samples / (double) SAMPLE_RATE;
        }
    }

    private static Process start(AudioTools tools, Path file) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-nostdin", "-v", "level+error"));
        command.addAll(FfmpegInput.args(file));
        command.addAll(List.of("-vn", "-sn", "-dn", "-ac", "1", "-ar", Integer.toString(SAMPLE_RATE), "-f", "s16le",
                "-acodec", "pcm_s16le", "pipe:1"));
        return new ProcessBuilder(command).start();
    }
}
