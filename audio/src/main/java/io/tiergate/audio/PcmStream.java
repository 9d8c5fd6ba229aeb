package io.tiergate.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The samples of one decode, as floats in [-1, 1): ffmpeg's, or a 16 kHz mono 16-bit WAV file's own. A decode that goes
 * wrong is refused, naming {@code file}, rather than passed on with a hole: one that runs past the duration its header
 * states as soon as it does, and at the end one that ffmpeg could not finish or that fell short of that duration.
 */
public final class PcmStream implements AutoCloseable, SampleSource {

    private static final int MAX_STDERR_BYTES = 4096;

    private final InputStream samples;
    private final Origin origin;
    private final double statedSeconds;
    private final long fewestSamples;
    private final long mostSamples;
    private final byte[] bytes = new byte[8192];
    private long samplesRead;
    private boolean ended;

    /** Where the 16 kHz mono 16-bit little-endian samples come from. */
    interface Origin {
        /** At the end of the samples: fails when what produced them did not go through. */
        void finish() throws IOException;

        /** Stops producing samples, whether or not they were read to their end. */
        void stop();
    }

    /**
     * @param samples       16 kHz mono 16-bit little-endian samples
     * @param statedSeconds the duration the recording's header states, or NaN to take whatever it decodes to
     * @param tolerance     how far, in seconds, the decode may fall short of or run past {@code statedSeconds}
     */
    private PcmStream(InputStream samples, Origin origin, double statedSeconds, double tolerance) {
        this.samples = samples;
        this.origin = origin;
        this.statedSeconds = statedSeconds;
        boolean checked = !Double.isNaN(statedSeconds);
        this.fewestSamples = checked ? (long) Math.floor((statedSeconds - tolerance) * PcmDecoder.SAMPLE_RATE) : 0;
        this.mostSamples = checked ? (long) Math.ceil((statedSeconds + tolerance) * PcmDecoder.SAMPLE_RATE) : Long.MAX_VALUE;
    }

    /** The samples an ffmpeg process writes to its output as it decodes. */
    static PcmStream ofDecoder(Process process, double statedSeconds, double tolerance) throws IOException {
        process.getOutputStream().close();
        CompletableFuture<String> errors = CompletableFuture.supplyAsync(
                () -> ToolRun.head(process.getErrorStream(), MAX_STDERR_BYTES), ToolRun.PIPE_READERS);
        InputStream samples = new BufferedInputStream(process.getInputStream(), 1 << 16);
        return new PcmStream(samples, new Origin() {
            @Override
            public void finish() throws IOException {
                try {
                    int exit = process.waitFor();
                    if (exit != 0) {
                        String reason = ToolRun.reasonIn(errors.join());
                        throw AudioProblems.unreadable("decoding failed" + (reason.isEmpty() ? "" : " (" + reason + ")"));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while ffmpeg finished", e);
                }
            }

            @Override
            public void stop() {
                process.destroyForcibly();
            }
        }, statedSeconds, tolerance);
    }

    /** Samples already in the recording's format, read straight from its file. */
    static PcmStream ofFile(InputStream samples, double statedSeconds, double tolerance) {
        return new PcmStream(new BufferedInputStream(samples, 1 << 16), new Origin() {
            @Override
            public void finish() {
            }

            @Override
            public void stop() {
            }
        }, statedSeconds, tolerance);
    }

    /**
     * Reads up to {@code length} samples.
     *
     * @return how many were read, or -1 at the end of a decode that went through
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when the recording could not be decoded, or
     *                                                     decoded to more or less audio than its header states
     */
    @Override
    public int read(float[] into, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        int wanted = Math.min(length, bytes.length / 2) * 2;
        int got = samples.readNBytes(bytes, 0, wanted);
        if (got % 2 == 1) {
            got += samples.readNBytes(bytes, got, 1);
        }
        if (got == 0) {
            ended = true;
            checkEnd();
            return -1;
        }
        int count = got / 2;
        samplesRead += count;
        if (samplesRead > mostSamples) {
            ended = true;
            close();
            throw AudioProblems.unreadable(String.format("it holds more audio than the %.1f s its header states",
                    statedSeconds));
        }
        for (int i = 0; i < count; i++) {
            into[offset + i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
        }
        return count;
    }

    private void checkEnd() throws IOException {
        origin.finish();
        if (samplesRead < fewestSamples) {
            throw AudioProblems.unreadable(String.format("it is truncated or corrupt: it decodes to %.1f s of the %.1f s"
                    + " its header states", samplesRead / (double) PcmDecoder.SAMPLE_RATE, statedSeconds));
        }
    }

    /** Stops the decode, whether or not it was read to its end. */
    @Override
    public void close() {
        origin.stop();
        try {
            samples.close();
        } catch (IOException ignored) {
            // Nothing is read any more; nothing is left to release.
        }
    }
}
