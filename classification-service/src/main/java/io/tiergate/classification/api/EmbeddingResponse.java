package io.tiergate.classification.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** OpenAI-compatible embeddings answer; {@code embedding} is a float array, or a base64 string of little-endian floats. */
@RegisterForReflection
public record EmbeddingResponse(String object, List<Item> data, String model, Usage usage) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(String object, int index, Object embedding) {}

    @RegisterForReflection
    public record Usage(int promptTokens, int totalTokens) {}
}
