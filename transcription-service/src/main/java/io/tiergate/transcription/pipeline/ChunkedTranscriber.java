package io.tiergate.transcription.pipeline;

import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.PcmStream;
import io.tiergate.audio.chunk.AudioChunk;
import io.tiergate.audio.chunk.ChunkReader;
import io.tiergate.audio.chunk.Chunker;
import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptionOptions;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.TranscriptionEngine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Transcribes a recording of any length: decodes it as a stream, cuts it at silences, has the engine transcribe the
 * chunks in parallel up to its slot count, tries a failed chunk again, and stitches the texts in order. At most
 * {@code slots} chunks (plus the one being cut) are held in memory, whatever the recording's length.
 */
public final class ChunkedTranscriber {

    private final TranscriptionEngine engine;
    private final PcmDecoder decoder;
    private final Chunker chunker;
    private final ExecutorService workers;
    private final int slots;
    private final int attempts;
    private final TranscriptionMetrics metrics;

    public ChunkedTranscriber(TranscriptionEngine engine, PcmDecoder decoder, Chunker chunker, ExecutorService workers,
                              int slots, int attempts, TranscriptionMetrics metrics) {
        this.engine = engine;
        this.decoder = decoder;
        this.chunker = chunker;
        this.workers = workers;
        this.slots = slots;
        this.attempts = attempts;
        this.metrics = metrics;
    }

    /**
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when the recording cannot be decoded
     * @throws ChunkFailedException                        when the engine failed on a chunk every time
     */
    public Transcript transcribe(Path file, AudioInfo audio, TranscriptionOptions options, boolean translate)
            throws IOException {
        long started = System.nanoTime();
        EngineRequest request = new EngineRequest(options.language(), options.prompt(), options.temperature(),
                options.wantsWords(), translate);
        Semaphore inFlight = new Semaphore(slots);
        List<Future<TranscriptStitcher.ChunkText>> texts = new ArrayList<>();
        try (PcmStream samples = decoder.open(file, audio); ChunkReader chunks = chunker.open(samples)) {
            for (Optional<AudioChunk> next; (next = chunks.next()).isPresent(); ) {
                inFlight.acquire();
                AudioChunk taken = next.get();
                texts.add(workers.submit(() -> {
                    try {
                        return new TranscriptStitcher.ChunkText(taken.startSeconds(), withRetries(taken, request));
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<TranscriptStitcher.ChunkText> done = new ArrayList<>(texts.size());
            for (Future<TranscriptStitcher.ChunkText> text : texts) {
                done.add(text.get());
            }
            Transcript transcript = TranscriptStitcher.stitch(done, audio.durationSeconds(), options, translate);
            metrics.transcribed(engine.name(), audio.durationSeconds(), (System.nanoTime() - started) / 1e9);
            return transcript;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while transcribing");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            texts.forEach(text -> text.cancel(true));
        }
    }

    private EngineOutput withRetries(AudioChunk chunk, EngineRequest request) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long started = System.nanoTime();
            try {
                EngineOutput output = engine.transcribe(chunk.samples(), request);
                metrics.chunk(engine.name(), "ok");
                return output;
            } catch (IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof CancellationException) {
                    throw new InterruptedIOException("cancelled");
                }
                last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                metrics.chunk(engine.name(), attempt < attempts ? "retried" : "failed");
            } finally {
                metrics.engineTime(engine.name(), System.nanoTime() - started);
            }
        }
        throw new ChunkFailedException(chunk.startSeconds(), attempts, last);
    }
}
