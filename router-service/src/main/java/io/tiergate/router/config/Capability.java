package io.tiergate.router.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Kinds of work a provider can do. {@code TRANSLATION} (speech in any language to English text) is listed on its own:
 * many speech models transcribe but cannot translate (Whisper's turbo and English-only models, OpenAI's newer
 * transcription models), so a provider is offered for translations only when it says it can.
 */
public enum Capability {
    CHAT, CLASSIFICATION, EMBEDDINGS, TRANSCRIPTION, TRANSLATION, DIARIZATION;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
