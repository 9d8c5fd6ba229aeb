package io.tiergate.router.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.router.api.ChatRequest;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OpenAI-compatible chat completions (OpenAI, Groq, OpenRouter, Together, vLLM, Ollama, Hugging Face
 * Inference Providers and Tiergate pods): the body passes through with only the model chosen for the tier.
 */
@ApplicationScoped
public class OpenAiChatProtocol implements ChatProtocol {

    private final ObjectMapper mapper;

    public OpenAiChatProtocol(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public UpstreamRequest request(ChatRequest chat, Candidate candidate, Backend backend) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .add(HttpHeaderNames.ACCEPT, chat.stream() ? "text/event-stream" : "application/json");
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        candidate.model().ifPresent(model -> chat.body().put("model", model));
        Buffer body;
        try {
            body = Buffer.buffer(mapper.writeValueAsBytes(chat.body()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String url = backend.provider().config().baseUrl() + "/chat/completions";
        return new UpstreamRequest(url, headers, body, chat.stream(), backend.provider().timeout());
    }

    @Override
    public OptionalLong totalTokens(Buffer upstreamBody) {
        try {
            JsonNode total = mapper.readTree(upstreamBody.getBytes()).path("usage").path("total_tokens");
            return total.isNumber() ? OptionalLong.of(total.asLong()) : OptionalLong.empty();
        } catch (java.io.IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Buffer toOpenAi(Buffer upstreamBody) {
        return upstreamBody;
    }

    @Override
    public Optional<StreamTranslator> streamTranslator() {
        return Optional.empty();
    }
}
