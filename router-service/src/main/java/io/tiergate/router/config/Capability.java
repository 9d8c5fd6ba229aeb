package io.tiergate.router.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Kinds of work a provider can do. */
public enum Capability {
    CHAT, CLASSIFICATION, EMBEDDINGS, TRANSCRIPTION, DIARIZATION;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
