package io.tiergate.router.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.common.problem.Problem;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * A provider's refusal (a 4xx the caller's own request caused) in the caller's one error shape: an RFC 9457 problem
 * whose {@code detail} and OpenAI-style {@code error.message} are the provider's own message. Reads OpenAI's and
 * Anthropic's {@code error} objects and the problems Tiergate's pods answer with; anything else becomes an excerpt.
 */
public final class UpstreamErrors {

    private static final String REJECTED = "https://tiergate.io/problems/upstream-rejected";
    private UpstreamErrors() {}

    /** {@code redact} takes secrets out of the provider's text (and cuts it short) before it reaches the caller. */
    public static Problem problemOf(ObjectMapper mapper, UnaryOperator<String> redact, String provider, int status, Buffer body) {
        JsonNode json = read(mapper, body);
        JsonNode error = json.path("error");
        String title = "Request rejected by " + provider;
        if (error.isObject() && error.path("message").isTextual()) {
            return new Problem(REJECTED, title, status, redact.apply(error.path("message").asText()), textOrNull(error.path("param")),
                    null);
        }
        if (error.isTextual()) {
            return new Problem(REJECTED, title, status, redact.apply(error.asText()), null, null);
        }
        if (json.path("detail").isTextual() || json.path("title").isTextual()) {
            String detail = json.path("detail").isTextual() ? json.path("detail").asText() : json.path("title").asText();
            return new Problem(json.path("type").isTextual() ? json.path("type").asText() : REJECTED,
                    json.path("title").isTextual() ? json.path("title").asText() : title, status, redact.apply(detail),
                    textOrNull(json.path("field")), null);
        }
        String excerpt = body == null ? "" : redact.apply(body.toString());
        return new Problem(REJECTED, title, status, provider + " answered HTTP " + status + (excerpt.isBlank() ? "" : ": " + excerpt),
                null, null);
    }

    private static JsonNode read(ObjectMapper mapper, Buffer body) {
        if (body == null || body.length() == 0) {
            return mapper.missingNode();
        }
        try {
            JsonNode json = mapper.readTree(body.getBytes());
            return json != null ? json : mapper.missingNode();
        } catch (IOException notJson) {
            return mapper.missingNode();
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
