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
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One run of an ffmpeg program with a deadline, keeping at most a bounded amount of what it printed. */
record ToolRun(int exitCode, String stdout, String stderr) {

    private static final int MAX_STDOUT_BYTES = 1 << 20;
    private static final int MAX_STDERR_BYTES = 4096;
    private static final String ERROR_TAG = "[error] ";
    private static final String FATAL_TAG = "[fatal] ";

    /**
     * Drains the programs' pipes. Each reader blocks until its program ends, which for a decode is as long as the
     * recording takes to transcribe: on the common fork-join pool a few long decodes would take every thread and leave
     * a quick probe's output unread until one of them ended.
     */
    static final Executor PIPE_READERS = Executors.newCachedThreadPool(task -> {
        Thread reader = new Thread(task, "ffmpeg-pipe-reader");
        reader.setDaemon(true);
        return reader;
    });

    /** Runs the command to its end; a run past the deadline is killed and reported as an {@link IOException}. */
    static ToolRun of(List<String> command, Duration deadline) throws IOException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> head(process.getInputStream(), MAX_STDOUT_BYTES),
                PIPE_READERS);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> head(process.getErrorStream(), MAX_STDERR_BYTES),
                PIPE_READERS);
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
     * What an ffmpeg program said is wrong: its first error line (programs run with {@code -v level+…} tag each line
     * with its level; untagged output counts from its first line), without the file path it starts with: the path is
     * a spool file the caller never named. Empty when it printed nothing.
     */
    static String reasonIn(String stderr) {
        List<String> lines = stderr.strip().lines().toList();
        String line = lines.stream().filter(ToolRun::isError).findFirst().orElse(lines.isEmpty() ? "" : lines.get(0));
        int tag = Math.max(line.indexOf(ERROR_TAG), line.indexOf(FATAL_TAG));
        String message = tag < 0 ? line : line.substring(tag + ERROR_TAG.length());
        // Programs are given absolute paths; a decoder's own message ("Too many channels: 65535") keeps its colon.
        int colon = message.indexOf(": ");
        return message.startsWith("/") && colon >= 0 ? message.substring(colon + 2) : message;
    }

    private static boolean isError(String line) {
        return line.contains(ERROR_TAG) || line.contains(FATAL_TAG);
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
