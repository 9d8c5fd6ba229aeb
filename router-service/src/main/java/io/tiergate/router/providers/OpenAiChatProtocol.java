package io.tiergate.router.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.router.api.ChatRequest;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** Streams past everything but {@code usage.total_tokens}: read on every answer, so no tree is built. */
    @Override
    public OptionalLong totalTokens(Buffer upstreamBody) {
        return totalTokens(upstreamBody.getBytes());
    }

    private OptionalLong totalTokens(byte[] json) {
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean usage = "usage".equals(parser.currentName());
                if (parser.nextToken() == JsonToken.START_OBJECT && usage) {
                    return totalTokensIn(parser);
                }
                parser.skipChildren();
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong totalTokensIn(JsonParser usage) throws IOException {
        while (usage.nextToken() == JsonToken.FIELD_NAME) {
            boolean total = "total_tokens".equals(usage.currentName());
            JsonToken value = usage.nextToken();
            if (total) {
                return value.isNumeric() ? OptionalLong.of(usage.getValueAsLong()) : OptionalLong.empty();
            }
            usage.skipChildren();
        }
        return OptionalLong.empty();
    }

    @Override
    public Buffer toOpenAi(Buffer upstreamBody) {
        return upstreamBody;
    }

    /**
     * The stream passes unchanged. Its usage comes in a last chunk that OpenAI-compatible servers send when the caller
     * asked for it with {@code stream_options.include_usage} (the other chunks carry {@code "usage": null}).
     */
    @Override
    public StreamReader streamReader() {
        return new StreamReader() {
            private final ServerSentEvents events = new ServerSentEvents();
            private OptionalLong reported = OptionalLong.empty();

            @Override
            public Buffer next(Buffer chunk) {
                events.feed(chunk, data -> {
                    if (data.contains("\"usage\"")) {
                        OptionalLong tokens = totalTokens(data.getBytes(StandardCharsets.UTF_8));
                        if (tokens.isPresent()) {
                            reported = tokens;
                        }
                    }
                });
                return chunk;
            }

            @Override
            public OptionalLong reportedTokens() {
                return reported;
            }
        };
    }
}
