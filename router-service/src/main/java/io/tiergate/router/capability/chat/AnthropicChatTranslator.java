package io.tiergate.router.capability.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
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
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

/** Anthropic's Messages API, translated to and from OpenAI chat completions, streams included. */
@ApplicationScoped
public class AnthropicChatTranslator implements Translator<ChatRequest> {

    static final String API_VERSION = "2023-06-01";
    /** Anthropic requires max_tokens; this applies when the caller sets none. */
    private static final int DEFAULT_MAX_TOKENS = 1024;

    private final ObjectMapper mapper;

    public AnthropicChatTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String capability() {
        return ChatCapability.NAME;
    }

    @Override
    public boolean speaks(Protocol protocol) {
        return protocol == Protocol.ANTHROPIC;
    }

    @Override
    public UpstreamRequest request(ChatRequest chat, Candidate candidate, Backend backend) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .add("anthropic-version", API_VERSION);
        backend.apiKey().ifPresent(key -> headers.add("x-api-key", key));
        String url = backend.provider().config().baseUrl() + "/messages";
        return new UpstreamRequest(url, headers, RequestBody.of(write(toMessages(chat, candidate))), chat.stream(),
                backend.provider().timeout());
    }

    private ObjectNode toMessages(ChatRequest chat, Candidate candidate) {
        ObjectNode openAi = chat.body();
        ObjectNode request = mapper.createObjectNode();
        request.put("model", candidate.model().or(chat::model).orElse(""));
        request.put("max_tokens", chat.maxTokens().orElse(DEFAULT_MAX_TOKENS));
        StringBuilder system = new StringBuilder();
        ArrayNode messages = request.putArray("messages");
        for (JsonNode message : openAi.get("messages")) {
            String role = message.path("role").asText();
            String text = textOf(message.get("content"));
            if (role.equals("system") || role.equals("developer")) {
                system.append(system.isEmpty() ? "" : "\n").append(text);
            } else {
                messages.addObject().put("role", role.equals("assistant") ? "assistant" : "user").put("content", text);
            }
        }
        if (!system.isEmpty()) {
            request.put("system", system.toString());
        }
        copyIfPresent(openAi, "temperature", request, "temperature");
        copyIfPresent(openAi, "top_p", request, "top_p");
        JsonNode stop = openAi.get("stop");
        if (stop != null && stop.isTextual()) {
            request.putArray("stop_sequences").add(stop.asText());
        } else if (stop != null && stop.isArray()) {
            request.set("stop_sequences", stop);
        }
        if (chat.stream()) {
            request.put("stream", true);
        }
        return request;
    }

    private static String textOf(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static void copyIfPresent(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    @Override
    public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
        JsonNode usage = read(upstreamBody).path("usage");
        if (!usage.has("input_tokens") && !usage.has("output_tokens")) {
            return Optional.empty();
        }
        return Optional.of(UsageAmount.tokens(usage.path("input_tokens").asLong() + usage.path("output_tokens").asLong()));
    }

    /** Anthropic's message as an OpenAI chat completion. */
    @Override
    public Buffer toCaller(Buffer upstreamBody) {
        JsonNode message = read(upstreamBody);
        StringBuilder text = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("text")) {
                text.append(block.path("text").asText());
            }
        }
        ObjectNode completion = mapper.createObjectNode()
                .put("id", message.path("id").asText())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", message.path("model").asText());
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text.toString());
        choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null)));
        long input = message.path("usage").path("input_tokens").asLong();
        long output = message.path("usage").path("output_tokens").asLong();
        completion.putObject("usage").put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
        return write(completion);
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return null;
        }
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            default -> "stop";
        };
    }

    @Override
    public StreamReader streamReader() {
        return new AnthropicStreamReader(mapper);
    }

    private JsonNode read(Buffer body) {
        try {
            return mapper.readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Buffer write(JsonNode node) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites Anthropic's message_start / content_block_delta / message_delta events as OpenAI chunks, and reads the
     * usage they carry: input tokens in message_start, the running output count in each message_delta.
     */
    static final class AnthropicStreamReader implements StreamReader {

        private final ObjectMapper mapper;
        private final ServerSentEvents events = new ServerSentEvents();
        private String id = "";
        private String model = "";
        private final long created = System.currentTimeMillis() / 1000;
        private long inputTokens;
        private long outputTokens;
        private boolean usageSeen;

        AnthropicStreamReader(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public Buffer next(Buffer chunk) {
            Buffer out = Buffer.buffer();
            events.feed(chunk, data -> translateEvent(data, out));
            return out;
        }

        @Override
        public OptionalLong reportedTokens() {
            return usageSeen ? OptionalLong.of(inputTokens + outputTokens) : OptionalLong.empty();
        }

        private void translateEvent(String data, Buffer out) {
            JsonNode event;
            try {
                event = mapper.readTree(data);
            } catch (JsonProcessingException e) {
                return;
            }
            switch (event.path("type").asText()) {
                case "message_start" -> {
                    id = event.path("message").path("id").asText();
                    model = event.path("message").path("model").asText();
                    readUsage(event.path("message").path("usage"));
                    emit(out, delta -> delta.put("role", "assistant").put("content", ""), null);
                }
                case "content_block_delta" -> {
                    String text = event.path("delta").path("text").asText("");
                    emit(out, delta -> delta.put("content", text), null);
                }
                case "message_delta" -> {
                    readUsage(event.path("usage"));
                    emit(out, delta -> { }, finishReason(event.path("delta").path("stop_reason").asText(null)));
                }
                case "message_stop" -> out.appendString("data: [DONE]\n\n");
                default -> { }
            }
        }

        private void readUsage(JsonNode usage) {
            if (usage.has("input_tokens")) {
                inputTokens = usage.path("input_tokens").asLong();
                usageSeen = true;
            }
            if (usage.has("output_tokens")) {
                outputTokens = usage.path("output_tokens").asLong();
                usageSeen = true;
            }
        }

        private void emit(Buffer out, java.util.function.Consumer<ObjectNode> fillDelta, String finishReason) {
            ObjectNode chunk = mapper.createObjectNode()
                    .put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            fillDelta.accept(choice.putObject("delta"));
            choice.put("finish_reason", finishReason);
            try {
                out.appendString("data: ").appendString(mapper.writeValueAsString(chunk)).appendString("\n\n");
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
