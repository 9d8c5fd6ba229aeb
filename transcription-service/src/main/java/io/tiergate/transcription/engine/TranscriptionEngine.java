package io.tiergate.transcription.engine;

import io.tiergate.audio.chunk.ChunkSettings;
import java.io.IOException;
import java.util.Set;

/**
 * A speech-to-text engine the pod runs. One engine per pod, chosen by {@code tiergate.transcription.engine}; the pod
 * feeds it chunks of at most {@code chunking.max-seconds} of 16 kHz mono audio, at most {@link #slots()} at once.
 */
public interface TranscriptionEngine extends AutoCloseable {

    /** As in readiness, metrics and the answer's {@code X-Tiergate-Engine} header. */
    String name();

    /** The ISO-639-1 codes it understands; empty when it takes every language its model knows. */
    Set<String> languages();

    /** Whether its words carry their own times (otherwise they are spread over their segment). */
    boolean wordTimings();

    /** Whether it can translate speech into English ({@code /v1/audio/translations}). */
    boolean translates();

    /** How many chunks it transcribes well at once. */
    int slots();

    /** The chunk lengths it works best with, unless {@code tiergate.transcription.chunking.*} says otherwise. */
    default ChunkSettings chunking() {
        return ChunkSettings.DEFAULTS;
    }

    /** Whether its model is loaded, and if not why: a pod whose engine cannot run is not ready. */
    EngineStatus status();

    /**
     * Transcribes one chunk.
     *
     * @param samples 16 kHz mono samples in [-1, 1)
     * @return its text with times in seconds from the chunk's start
     * @throws IOException when the engine failed on this chunk (it is tried again)
     */
    EngineOutput transcribe(float[] samples, EngineRequest request) throws IOException;

    /** Frees what the engine holds (native models); chunks still running are let finish first. */
    @Override
    default void close() {
    }
}
