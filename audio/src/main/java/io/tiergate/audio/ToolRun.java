package io.tiergate.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** One run of an ffmpeg program with a deadline, keeping at most a bounded amount of what it printed. */
record ToolRun(int exitCode, String stdout, String stderr) {

    private static final int MAX_STDOUT_BYTES = 1 << 20;
    private static final int MAX_STDERR_BYTES = 4096;

    /** Runs the command to its end; a run past the deadline is killed and reported as an {@link IOException}. */
    static ToolRun of(List<String> command, Duration deadline) throws IOException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> head(process.getInputStream(), MAX_STDOUT_BYTES));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> head(process.getErrorStream(), MAX_STDERR_BYTES));
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " took longer than " + deadline.toSeconds() + " s");
            }
            return new ToolRun(process.exitValue(), stdout.get(), stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    /** What ffmpeg said is wrong, from the first line it printed on stderr. */
    String reason() {
        return reasonIn(stderr);
    }

    /**
     * The first line of an ffmpeg program's stderr without the file path it starts with: the path is a spool file the
     * caller never named. Empty when it printed nothing.
     */
    static String reasonIn(String stderr) {
        String line = stderr.strip().lines().findFirst().orElse("");
        int colon = line.lastIndexOf(": ");
        return colon < 0 ? line : line.substring(colon + 2);
    }

    /** Reads a stream to its end, keeping its first {@code max} bytes: a chatty program must not block on a full pipe. */
    static String head(InputStream in, int max) {
        try (in) {
            byte[] kept = in.readNBytes(max);
            in.transferTo(OutputStream.nullOutputStream());
            return new String(kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
