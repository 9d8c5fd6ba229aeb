package io.tiergate.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Provider answers in each provider's documented shape; answer texts may hold any characters (they are escaped). */
public final class ProviderResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderResponses() {}

    /** {@code text} as the inside of a JSON string. */
    private static String escaped(String text) {
        try {
            String quoted = JSON.writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String openAiCompletion(String model, String text) {
        return """
                {"id":"chatcmpl-123","object":"chat.completion","created":1700000000,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}
                """.formatted(model, escaped(text));
    }

    public static String anthropicMessage(String model, String text) {
        return """
                {"id":"msg_01","type":"message","role":"assistant","model":"%s",
                 "content":[{"type":"text","text":"%s"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":20,"output_tokens":7}}
                """.formatted(model, escaped(text));
    }

    public static String openAiError(String message) {
        return """
                {"error":{"message":"%s","type":"server_error","param":null,"code":null}}
                """.formatted(message);
    }

    public static String ollamaTags() {
        return """
                {"models":[{"name":"llama3.2:1b","model":"llama3.2:1b","size":1321098329}]}
                """;
    }
}
