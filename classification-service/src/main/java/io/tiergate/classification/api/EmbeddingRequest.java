package io.tiergate.classification.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** OpenAI-compatible {@code POST /v1/embeddings} body: {@code input} is a string or an array of strings. */
@RegisterForReflection
public record EmbeddingRequest(JsonNode input, String model, String encodingFormat, Integer dimensions, String user) {}
