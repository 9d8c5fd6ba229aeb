package io.tiergate.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * The samples of one decode, as floats in [-1, 1). Reading past the end checks how ffmpeg ended: a recording it
 * could not decode to its end is refused there, naming {@code file}, rather than passed on with a hole.
 */
public final class PcmStream implements AutoCloseable {

    private static final int MAX_STDERR_BYTES = 4096;

    private final Process process;
    private final InputStream samples;
    private final CompletableFuture<String> errors;
    private final byte[] bytes = new byte[8192];
    private boolean ended;

    PcmStream(Process process) throws IOException {
        this.process = process;
        process.getOutputStream().close();
        this.samples = new BufferedInputStream(process.getInputStream(), 1 << 16);
        this.errors = CompletableFuture.supplyAsync(() -> ToolRun.head(process.getErrorStream(), MAX_STDERR_BYTES));
    }

    /**
     * Reads up to {@code length} samples.
     *
     * @return how many were read, or -1 at the end of a decode that went through
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when ffmpeg failed to decode it
     */
    public int read(float[] into, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        int wanted = Math.min(length, bytes.length / 2) * 2;
        int got = samples.readNBytes(bytes, 0, wanted);
        if (got % 2 == 1) {
            got += samples.readNBytes(bytes, got, 1);
        }
        if (got == 0) {
            ended = true;
            checkExit();
            return -1;
        }
        for (int i = 0; i < got / 2; i++) {
            into[offset + i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
        }
        return got / 2;
    }

    private void checkExit() throws IOException {
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

    /** Stops the decode, whether or not it was read to its end. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            samples.close();
        } catch (IOException ignored) {
            // The process is gone; nothing is left to release.
        }
    }
}
