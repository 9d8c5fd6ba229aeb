package io.tiergate.common.http;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemMappers;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token ({@code Authorization: Bearer <token>}, RFC 6750) some calls of a service must carry: checking it
 * without leaking it through timing, and the 401 problem, with {@code WWW-Authenticate}, for a call without it.
 */
public final class BearerTokens {

    private static final String SCHEME = "Bearer ";

    private BearerTokens() {}

    /**
     * Whether {@code authorization}, the header's value (null when absent), carries {@code expected}. The two are
     * compared as SHA-256 digests in constant time, so the time taken reveals neither the expected token's content
     * nor its length.
     */
    public static boolean carries(String authorization, String expected) {
        String given = tokenOf(authorization);
        return given != null && MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    /**
     * The 401 problem for a call that lacks the token or carries a wrong one. {@code realm} names the service in
     * {@code WWW-Authenticate}, which adds {@code error="invalid_token"} when a token was given.
     */
    public static Response unauthorized(String realm, String authorization, String detail) {
        String challenge = "Bearer realm=\"" + realm + "\"" + (tokenOf(authorization) == null ? "" : ", error=\"invalid_token\"");
        return Response.fromResponse(ProblemMappers.toResponse(Problem.of(401, "unauthorized", "Unauthorized", detail)))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
    }

    /** The token of a {@code Bearer} header (the scheme's name is case-insensitive), or null. */
    private static String tokenOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
