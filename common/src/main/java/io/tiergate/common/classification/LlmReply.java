package io.tiergate.common.classification;

/** A chat model's reply text and the engine that gave it (for example {@code groq/llama-3.1-8b-instant}). */
public record LlmReply(String text, String engine) {}
