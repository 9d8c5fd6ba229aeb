package io.tiergate.transcription.pipeline;

import java.io.IOException;

/** A chunk the engine failed on every attempt: the request fails whole rather than answer with a hole. */
public class ChunkFailedException extends IOException {

    public ChunkFailedException(double offsetSeconds, int attempts, Throwable last) {
        super(String.format("the engine failed on the chunk at %.1f s %d times: %s", offsetSeconds, attempts,
                last.getMessage()), last);
    }
}
