package io.tiergate.router.capability.embeddings;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.router.dispatch.RequestBody;

/** An OpenAI embeddings request: the body as sent, passed through, and as read, for scoring. */
public record EmbeddingsRequest(RequestBody body, ObjectNode json) {}
