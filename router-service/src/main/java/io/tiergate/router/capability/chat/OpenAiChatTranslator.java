package io.tiergate.router.capability.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.ServerSentEvents;
import io.tiergate.router.translation.StreamReader;
import io.tiergate.router.translation.Translator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * OpenAI-compatible chat completions (OpenAI, Groq, OpenRouter, Together, vLLM, Ollama, and Hugging Face Inference
 * Providers, whose chat endpoint is OpenAI's): the body passes through with only the model chosen for the candidate.
 */
@ApplicationScoped
public class OpenAiChatTranslator implements Translator<ChatRequest> {

    private final ObjectMapper mapper;

    public OpenAiChatTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String capability() {
        return ChatCapability.NAME;
    }

    @Override
    public boolean speaks(Protocol protocol) {
        return protocol == Protocol.OPENAI || protocol == Protocol.HF_INFERENCE;
    }

    @Override
    public UpstreamRequest request(ChatRequest chat, Candidate candidate, Backend backend) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .add(HttpHeaderNames.ACCEPT, chat.stream() ? "text/event-stream" : "application/json");
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        Buffer body;
        try {
            body = Buffer.buffer(mapper.writeValueAsBytes(withModel(chat.body(), candidate)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        String url = backend.provider().config().baseUrl() + "/chat/completions";
        return new UpstreamRequest(url, headers, RequestBody.of(body), chat.stream(), backend.provider().timeout());
    }

    /**
     * The caller's body with the candidate's model, as a shallow copy: the caller's body stays as sent for the next
     * attempt, which may have a model of its own or none (then the caller's is sent).
     */
    private ObjectNode withModel(ObjectNode sent, Candidate candidate) {
        if (candidate.model().isEmpty()) {
            return sent;
        }
        ObjectNode copy = mapper.createObjectNode();
        copy.setAll(sent);
        copy.put("model", candidate.model().get());
        return copy;
    }

    /** Streams past everything but {@code usage.total_tokens}: read on every answer, so no tree is built. */
    @Override
    public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
        OptionalLong tokens = totalTokens(upstreamBody.getBytes());
        return tokens.isPresent() ? Optional.of(UsageAmount.tokens(tokens.getAsLong())) : Optional.empty();
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
