package io.tiergate.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * An RFC 9457 problem body, the one error shape every Tiergate service answers with.
 * {@code field} names the offending request field when there is one; {@code attempts} lists
 * the backends a router tried before giving up.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
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

    /** One try of one backend, as reported in a problem body and in explanations. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String provider, String account, String outcome, Integer status, long millis, String detail) {}
}
