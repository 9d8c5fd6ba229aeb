package io.tiergate.router.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The wire format a provider speaks. */
public enum Protocol {
    /** Any OpenAI-compatible endpoint: OpenAI, Groq, OpenRouter, Together, vLLM, Ollama. */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC,
    /** Hugging Face Inference Providers, whose chat endpoint is OpenAI-compatible. */
    HF_INFERENCE,
    /** Tiergate's own pods, which speak the OpenAI-compatible formats without keys. */
    POD;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
