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
 * <p>
 * A detail or field that quotes the caller's input could be as large as the input: {@link #quoted} cuts a value
 * where a message is built, and the canonical constructor cuts {@code detail} (and each attempt's), and {@code field},
 * whatever built them, so an error body stays a few kilobytes even for a multi-megabyte request.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
// error is derived from the other members, so a problem read back (one a pod answered the router, say) ignores it.
@JsonIgnoreProperties(value = "error", allowGetters = true)
public record Problem(String type, String title, int status, String detail, String field, List<Attempt> attempts) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://tiergate.io/problems/";
    static final int MAX_DETAIL_CHARS = 1000;
    static final int MAX_FIELD_CHARS = 200;
    static final int MAX_QUOTED_CHARS = 100;

    public Problem {
        detail = cut(detail, MAX_DETAIL_CHARS);
        field = cut(field, MAX_FIELD_CHARS);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, null, null);
    }

    /** A problem with one named field of the request, of its own type and status. */
    public static Problem ofField(int status, String slug, String title, String field, String detail) {
        return new Problem(TYPE_BASE + slug, title, status, detail, field, null);
    }

    /** A multipart form that cannot be read as one: 400, naming the part it went wrong in ({@code null} when none). */
    public static Problem malformedForm(String field, String reason) {
        return ofField(400, "malformed-form", "Malformed form", field, "The multipart form is malformed: " + reason);
    }

    public static Problem badField(String field, String detail) {
        return new Problem(TYPE_BASE + "invalid-request", "Invalid request", 400, detail, field, null);
    }

    /**
     * A caller's value as a detail message shows it: in single quotes, and when longer than 100 characters its first
     * 100 followed by an ellipsis and the full length.
     */
    public static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= MAX_QUOTED_CHARS) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, cutAt(value, MAX_QUOTED_CHARS)) + "…' (" + value.length() + " characters)";
    }

    /** At most {@code max} characters, the note of the cut included, so cutting again (a copy with attempts) changes nothing. */
    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String note = "… (cut from " + text.length() + " characters)";
        return text.substring(0, cutAt(text, max - note.length())) + note;
    }

    /** {@code max}, or one less where that would split a surrogate pair. */
    private static int cutAt(String text, int max) {
        return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    }

    public Problem withField(String offending) {
        return new Problem(type, title, status, detail, offending, attempts);
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
    public record Attempt(String provider, String account, String outcome, Integer status, long millis, String detail) {

        /** A provider's message can quote the request it refused. */
        public Attempt {
            detail = cut(detail, MAX_DETAIL_CHARS);
        }
    }

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
