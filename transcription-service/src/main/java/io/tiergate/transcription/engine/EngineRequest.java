package io.tiergate.transcription.engine;

import java.util.Optional;

/**
 * What the caller asked of every chunk. The pod makes one per recording and passes that same object with each of the
 * recording's chunks, so an engine that carries state from chunk to chunk can tell by identity where a recording's
 * chunks end (records compare by value: two recordings asked the same way are equal but not the same).
 *
 * @param language  the spoken language's ISO-639-1 code, when known
 * @param prompt    text that steers spelling and style
 * @param translate whether to write English whatever was spoken
 */
public record EngineRequest(Optional<String> language, Optional<String> prompt, double temperature, boolean words,
                            boolean translate) {
}
