package io.tiergate.transcription.engine;

import java.util.Optional;

/**
 * What the caller asked of every chunk.
 *
 * @param language  the spoken language's ISO-639-1 code, when known
 * @param prompt    text that steers spelling and style
 * @param translate whether to write English whatever was spoken
 */
public record EngineRequest(Optional<String> language, Optional<String> prompt, double temperature, boolean words,
                            boolean translate) {
}
