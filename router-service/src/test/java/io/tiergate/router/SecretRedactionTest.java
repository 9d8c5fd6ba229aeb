package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Providers echo the key they were sent in their error bodies; none of it reaches the caller's problem, the
 * unauthenticated health view or anything else the router keeps, and a huge error body is kept as a short excerpt.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class SecretRedactionTest {

    private static final String CHAT = "/v1/chat/completions";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    private static void answers(WireMockServer server, String path, int status, String body) {
        server.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void keysEchoedByProvidersAreRedactedEverywhereTheRouterShowsUpstreamText() {
        // alpha's accounts are sent alpha-secret-1 and alpha-secret-2, and echo them back
        answers(FakeProviders.ALPHA, CHAT, 401, "{\"error\":{\"message\":\"Incorrect API key provided: alpha-secret-1 "
                + "(also tried alpha-secret-2). Authorization: Bearer alpha-secret-1\",\"type\":\"invalid_request_error\"}}");
        answers(FakeProviders.BETA, CHAT, 500, "{\"error\":{\"message\":\"upstream said sk-proj-ABCDEFGHIJKLMNOP12345 failed\"}}");
        answers(FakeProviders.OLLAMA, CHAT, 503, "{\"error\":\"" + "x".repeat(2_000_000) + "\"}");
        answers(FakeProviders.CLAUDE, "/v1/messages", 500, "{\"error\":{\"message\":\"hf_abcdefghijklmnopqrstuv is not valid\"}}");

        String problem = given().contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(503)
                .extract().asString();
        assertNoSecret(problem);
        assertThat(problem).contains("[redacted]");
        List<String> details = given().contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT).post(CHAT)
                .then().extract().jsonPath().getList("attempts.detail", String.class);
        assertThat(details).allSatisfy(detail -> assertThat(detail == null ? "" : detail).hasSizeLessThan(320));

        String health = given().when().get("/v1/providers/health").then().statusCode(200).extract().asString();
        assertNoSecret(health);
        assertThat(health).contains("[redacted]");
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain("alpha-secret-1", "alpha-secret-2", "sk-proj-ABCDEFGHIJKLMNOP12345",
                "hf_abcdefghijklmnopqrstuv");
    }
}
