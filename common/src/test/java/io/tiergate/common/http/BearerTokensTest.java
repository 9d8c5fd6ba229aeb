package io.tiergate.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tiergate.common.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private static final String TOKEN = "s3cret-token";

    @Test
    void onlyTheExactTokenAfterTheBearerSchemeIsCarried() {
        assertTrue(BearerTokens.carries("Bearer s3cret-token", TOKEN));
        assertTrue(BearerTokens.carries("bearer s3cret-token ", TOKEN));
        assertFalse(BearerTokens.carries(null, TOKEN));
        assertFalse(BearerTokens.carries("", TOKEN));
        assertFalse(BearerTokens.carries("Bearer ", TOKEN));
        assertFalse(BearerTokens.carries("s3cret-token", TOKEN));
        assertFalse(BearerTokens.carries("Basic s3cret-token", TOKEN));
        assertFalse(BearerTokens.carries("Bearer s3cret-toke", TOKEN));
        assertFalse(BearerTokens.carries("Bearer s3cret-token2", TOKEN));
        assertFalse(BearerTokens.carries("Bearer S3CRET-TOKEN", TOKEN));
    }

    @Test
    void unauthorizedIsA401ProblemWithAChallengeThatSaysWhenTheTokenWasWrong() {
        Response missing = BearerTokens.unauthorized("tiergate-test", null, "Needs the token.");
        assertEquals(401, missing.getStatus());
        assertEquals(Problem.MEDIA_TYPE, missing.getMediaType().toString());
        assertEquals("Bearer realm=\"tiergate-test\"", missing.getHeaderString("WWW-Authenticate"));
        Problem problem = (Problem) missing.getEntity();
        assertEquals("https://tiergate.io/problems/unauthorized", problem.type());
        assertEquals("Needs the token.", problem.detail());

        Response wrong = BearerTokens.unauthorized("tiergate-test", "Bearer guess", "Needs the token.");
        assertEquals("Bearer realm=\"tiergate-test\", error=\"invalid_token\"", wrong.getHeaderString("WWW-Authenticate"));
    }
}
