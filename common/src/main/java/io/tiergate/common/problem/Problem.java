package io.tiergate.common.problem;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An RFC 9457 problem body, the one error shape every Tiergate service answers with.
 * {@code field} names the offending request field when there is one; {@code attempts} lists
 * the backends a router tried before giving up. Every body also carries the same failure as an
 * OpenAI-style {@code error} member, which OpenAI SDKs and LangChain4j read to show a message and code.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
// error is derived from the other members, so a problem read back (one a pod answered the router, say) ignores it.
@JsonIgnoreProperties(value = "error", allowGetters = true)
public record Problem(String type, String title, int status, String detail, String field, List<Attempt> attempts) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://tiergate.io/problems/";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null);
    }

    public static Problem badField(String field, String detail) {
        return new Problem(TYPE_BASE + "invalid-request", "Invalid request", 400, detail, field, null);
    }

    public Problem withAttempts(List<Attempt> tried) {
        return new Problem(type, title, status, detail, field, List.copyOf(tried));
    }

    /** This problem in OpenAI's error shape; derived, so it can never disagree with the RFC 9457 members. */
    @JsonProperty("error")
    public OpenAiError error() {
        String code = type != null && type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : null;
        return new OpenAiError(detail, OpenAiError.typeOf(status), code, field);
    }

    /** One try of one backend, as reported in a problem body and in explanations. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String provider, String account, String outcome, Integer status, long millis, String detail) {}

    /**
     * The {@code error} member OpenAI's API answers with: {@code message} is the problem's detail, {@code code} the
     * slug of its type (e.g. {@code invalid-request}), {@code param} the offending field. Every member is written,
     * null included, as OpenAI does.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OpenAiError(String message, String type, String code, String param) {

        /**
         * OpenAI's error type for an HTTP status. 401, 403 and 404 use the names of OpenAI's SDK error classes, which
         * Anthropic also sends as types; 429 is {@code rate_limit_error} for every limit (OpenAI names the exhausted
         * limit, {@code requests} or {@code tokens}; a Tiergate problem says which window in its own members); every
         * other 4xx is the caller's request and every 5xx a server failure.
         */
        public static String typeOf(int status) {
            return switch (status) {
                case 401 -> "authentication_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 429 -> "rate_limit_error";
                default -> status >= 500 ? "server_error" : "invalid_request_error";
            };
        }
    }
}
