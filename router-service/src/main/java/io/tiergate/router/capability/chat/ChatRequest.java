package io.tiergate.router.capability.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.pipeline.CappableOutput;
import io.tiergate.router.pipeline.JsonBodies;
import io.tiergate.router.pipeline.UsageEstimate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An OpenAI chat completion request, validated just enough to route it. The body itself is kept
 * as sent, so fields the router does not know still reach the backend.
 */
public final class ChatRequest implements CappableOutput<ChatRequest> {

    /** Above any model's output limit; keeps every quota amount derived from it exact. */
    private static final long MAX_OUTPUT_TOKENS = 1 << 20;
    /** OpenAI's own limit on answers per request. */
    private static final long MAX_CHOICES = 128;

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** Tokens of role and framing each message adds to a prompt, and that prime the reply (OpenAI's chat format). */
    private static final int TOKENS_PER_MESSAGE = 4;
    private static final int TOKENS_PER_REPLY = 3;
    /** Request fields the model reads as part of its prompt, besides the messages' text. */
    private static final List<String> PROMPT_FIELDS = List.of("tools", "functions", "response_format");

    private final ObjectNode body;
    private final String text;
    private final int messageCount;
    private final long promptTokens;

    private ChatRequest(ObjectNode body, String text, int messageCount, long promptTokens) {
        this.body = body;
        this.text = text;
        this.messageCount = messageCount;
        this.promptTokens = promptTokens;
    }

    public static ChatRequest parse(ObjectMapper mapper, byte[] json) {
        return of(JsonBodies.object(mapper, json));
    }

    /** Validates an already parsed body. */
    public static ChatRequest of(ObjectNode body) {
        optionalOfType(body, "model", JsonNode::isTextual, "a string");
        optionalOfType(body, "stream", JsonNode::isBoolean, "a boolean");
        optionalOfType(body, "temperature", JsonNode::isNumber, "a number");
        responseFormat(body.get("response_format"));
        optionalOfType(body, "tools", JsonNode::isArray, "an array");
        positiveAtMost(body, "max_tokens", MAX_OUTPUT_TOKENS);
        positiveAtMost(body, "max_completion_tokens", MAX_OUTPUT_TOKENS);
        positiveAtMost(body, "n", MAX_CHOICES);
        JsonNode messages = body.get("messages");
        if (messages == null || messages.isNull()) {
            throw ProblemException.badField("messages", "Field 'messages' is required");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ProblemException.badField("messages", "Field 'messages' must be a non-empty array");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            appendMessage((ArrayNode) messages, i, text);
        }
        return new ChatRequest(body, text.toString(), messages.size(), promptTokens(body, text.toString(), messages.size()));
    }

    private static void appendMessage(ArrayNode messages, int index, StringBuilder text) {
        String at = "messages[" + index + "]";
        JsonNode message = messages.get(index);
        if (!message.isObject()) {
            throw ProblemException.badField(at, "Field '" + at + "' must be an object");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw ProblemException.badField(at + ".role", "Field '" + at + ".role' must be one of " + ROLES);
        }
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            // Only the assistant's own turns may carry no text (a turn of tool calls): every other role says something.
            if (!role.asText().equals("assistant")) {
                throw ProblemException.badField(at + ".content", "Field '" + at + ".content' is required for a " + role.asText() + " message");
            }
            return;
        }
        if (content.isTextual()) {
            text.append(content.asText()).append('\n');
        } else if (content.isArray()) {
            for (int p = 0; p < content.size(); p++) {
                appendPart(content.get(p), at + ".content[" + p + "]", text);
            }
        } else {
            throw ProblemException.badField(at + ".content", "Field '" + at + ".content' must be a string or an array of parts");
        }
    }

    /** A content part is an object of some {@code type}; a text part's text is a string. */
    private static void appendPart(JsonNode part, String at, StringBuilder text) {
        JsonNode type = part.get("type");
        if (!part.isObject() || type == null || !type.isTextual()) {
            throw ProblemException.badField(at, "Field '" + at + "' must be a content part: an object with a string 'type'");
        }
        JsonNode partText = part.get("text");
        if (type.asText().equals("text") && (partText == null || !partText.isTextual())) {
            throw ProblemException.badField(at + ".text", "Field '" + at + ".text' must be a string in a text part");
        }
        if (partText != null && partText.isTextual()) {
            text.append(partText.asText()).append('\n');
        }
    }

    /** {@code {"type": ...}}, and a {@code json_schema} format carries its schema as an object. */
    private static void responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return;
        }
        JsonNode type = format.get("type");
        if (!format.isObject() || type == null || !type.isTextual()) {
            throw ProblemException.badField("response_format", "Field 'response_format' must be an object with a string 'type'");
        }
        JsonNode schema = format.get("json_schema");
        if (type.asText().equals("json_schema") && (schema == null || !schema.isObject())) {
            throw ProblemException.badField("response_format.json_schema",
                    "Field 'response_format.json_schema' must be an object when 'response_format.type' is json_schema");
        }
    }

    private static void positiveAtMost(ObjectNode body, String field, long most) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull()
                && !(value.canConvertToLong() && value.isIntegralNumber() && value.asLong() > 0 && value.asLong() <= most)) {
            throw ProblemException.badField(field, "Field '" + field + "' must be a positive integer of at most " + most);
        }
    }

    private static void optionalOfType(ObjectNode body, String field, java.util.function.Predicate<JsonNode> ok, String expected) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !ok.test(value)) {
            throw ProblemException.badField(field, "Field '" + field + "' must be " + expected);
        }
    }

    /** The body as sent; shared by every attempt, so never to be changed: copy it to send something else. */
    public ObjectNode body() {
        return body;
    }

    /** All message text, for scoring. */
    public String text() {
        return text;
    }

    /**
     * The prompt as the model reads it, counted once: the messages' text, tool calls and tool definitions, with the
     * chat format's framing.
     */
    public long promptTokens() {
        return promptTokens;
    }

    private static long promptTokens(ObjectNode body, String text, int messageCount) {
        long prompt = UsageEstimate.tokensOf(text) + (long) TOKENS_PER_MESSAGE * messageCount + TOKENS_PER_REPLY;
        for (String field : PROMPT_FIELDS) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                prompt += UsageEstimate.tokensOf(value.toString());
            }
        }
        for (JsonNode message : body.path("messages")) {
            JsonNode toolCalls = message.get("tool_calls");
            if (toolCalls != null && !toolCalls.isNull()) {
                prompt += UsageEstimate.tokensOf(toolCalls.toString());
            }
        }
        return prompt;
    }

    public int messageCount() {
        return messageCount;
    }

    @Override
    public OptionalLong maxTokens() {
        JsonNode value = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        return value == null || value.isNull() ? OptionalLong.empty() : OptionalLong.of(value.asLong());
    }

    /** How many answers the caller asked for ({@code n}); each may use the whole output cap. */
    @Override
    public int choices() {
        JsonNode value = body.get("n");
        return value == null || value.isNull() ? 1 : value.asInt();
    }

    /**
     * This request with every answer capped at {@code tokens} of output: the caller's cap field is lowered, or
     * {@code max_tokens} set when the caller gave none. The caller's own body stays as sent.
     */
    @Override
    public ChatRequest withOutputCap(long tokens) {
        ObjectNode capped = body.objectNode().setAll(body);
        capped.put(body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens", tokens);
        return new ChatRequest(capped, text, messageCount, promptTokens);
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    public Optional<String> model() {
        JsonNode model = body.get("model");
        return model == null || model.isNull() ? Optional.empty() : Optional.of(model.asText());
    }

    public boolean wantsStructuredOutput() {
        String format = body.path("response_format").path("type").asText("");
        return format.equals("json_object") || format.equals("json_schema") || body.path("tools").size() > 0;
    }
}
