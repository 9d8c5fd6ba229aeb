package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.SIMPLE_CHAT;
import static io.tiergate.router.RouterTestSupport.answers;
import static io.tiergate.router.RouterTestSupport.fails;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class FallbackTest {

    private static final String CHAT = "/v1/chat/completions";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        answers(FakeProviders.BETA, "beta-mini", "hello from beta");
        answers(FakeProviders.OLLAMA, "llama3.2:1b", "hello from ollama");
    }

    @Test
    void serverErrorsAreRetriedThenFallBackToTheNextCandidate() {
        fails(FakeProviders.ALPHA, 503);
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta")
                // a1: 1 try + 2 retries; a2: 1 try + 2 retries; beta answers on the 7th attempt
                .header("X-Tiergate-Attempts", "7");
        FakeProviders.ALPHA.verify(6, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void theRetriesOfOneRequestDoNotOpenTheBreakerOnTheirOwn() {
        fails(FakeProviders.ALPHA, 503);
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post(CHAT).then().statusCode(200)
                .header("X-Tiergate-Provider", "beta")
                .header("X-Tiergate-Attempts", "7");
        assertEquals(CircuitBreakerState.CLOSED, registry.find("alpha").orElseThrow().backends().get(0).breakerState());
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post(CHAT).then().statusCode(200)
                .header("X-Tiergate-Attempts", "7");
    }

    /** Three requests failing on a backend (each after its retries) open its breaker. */
    private static void openAlphasBreakers() {
        fails(FakeProviders.ALPHA, 503);
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post(CHAT).then().statusCode(200)
                    .header("X-Tiergate-Provider", "beta");
        }
    }

    @Test
    void breakerOpensAfterThreeFailedRequestsAndTheBackendIsSkippedWithoutBeingCalled() {
        openAlphasBreakers();
        assertEquals(CircuitBreakerState.OPEN, registry.find("alpha").orElseThrow().backends().get(0).breakerState());
        FakeProviders.ALPHA.resetRequests();

        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta")
                .header("X-Tiergate-Attempts", "1");
        FakeProviders.ALPHA.verify(0, postRequestedFor(urlEqualTo(CHAT)));

        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post("/v1/route/explain")
                .then().statusCode(200)
                .body("excluded.find { it.account == 'a1' }.reason", startsWith("circuit open until "));
        given().when().get("/v1/providers/health")
                .then().statusCode(200)
                .body("find { it.account == 'a1' }.breaker", equalTo("open"))
                .body("find { it.account == 'a1' }.status", equalTo("down"))
                .body("find { it.account == 'a1' }.errors", org.hamcrest.Matchers.greaterThanOrEqualTo(3))
                .body("find { it.account == 'a1' }.last_error", startsWith("HTTP 503"));
    }

    @Test
    void halfOpenBreakerLetsAProbeThroughAndClosesOnSuccess() throws InterruptedException {
        openAlphasBreakers();
        var a1 = registry.find("alpha").orElseThrow().backends().get(0);
        assertEquals(CircuitBreakerState.OPEN, a1.breakerState());

        FakeProviders.ALPHA.resetAll();
        answers(FakeProviders.ALPHA, "alpha-small", "alpha is back");
        Thread.sleep(1700); // the breaker's configured open-for is 1500 ms

        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "alpha")
                .header("X-Tiergate-Account", "a1")
                .body("choices[0].message.content", equalTo("alpha is back"));
        assertEquals(CircuitBreakerState.CLOSED, a1.breakerState());
    }

    @Test
    void withEveryCandidateBehindAnOpenBreakerRetryAfterIsWhenTheFirstReopens() {
        fails(FakeProviders.ALPHA, 503);
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "alpha").body(SIMPLE_CHAT)
                    .post(CHAT).then().statusCode(503);
        }
        // three failed requests opened both alpha accounts for 1500 ms: nothing is tried, and the caller learns when to come back
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "alpha").body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(503)
                .header("Retry-After", "2")
                .header("X-Tiergate-Attempts", "0");
    }

    @Test
    void timeoutsCountAsFailuresAndFallBack() {
        FakeProviders.ALPHA.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(ProviderResponses.openAiCompletion("a", "late"))
                .withFixedDelay(1500)));
        given().contentType(ContentType.JSON).header("X-Tiergate-Tier", "simple").body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta");
        given().when().get("/v1/providers/health")
                .then().body("find { it.account == 'a1' }.last_error", startsWith("no answer within 700 ms"));
    }

    @Test
    void anAnswerStillTricklingInAtTheTimeoutIsATimeoutAndFallsBack() {
        // Headers at once, then the body a piece at a time for 5 s: each piece resets an idle timeout, not this one.
        FakeProviders.ALPHA.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(ProviderResponses.openAiCompletion("a", "late"))
                .withChunkedDribbleDelay(25, 5_000)));
        long started = System.nanoTime();
        int attempts = Integer.parseInt(given().contentType(ContentType.JSON).header("X-Tiergate-Tier", "simple")
                .body(SIMPLE_CHAT).when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta").extract().header("X-Tiergate-Attempts"));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < (attempts - 1) * 700L + 2_000, attempts + " attempts took " + tookMillis + " ms");
        given().when().get("/v1/providers/health")
                .then().body("find { it.account == 'a1' }.last_error", startsWith("no answer within 700 ms"));
    }

    @Test
    void rateLimitWithRetryAfterIsWaitedForAndRetriedOnTheSameBackend() {
        FakeProviders.ALPHA.stubFor(post(urlEqualTo(CHAT)).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody(ProviderResponses.openAiError("rate limited")))
                .willSetStateTo("recovered"));
        FakeProviders.ALPHA.stubFor(post(urlEqualTo(CHAT)).inScenario("429").whenScenarioStateIs("recovered")
                .willReturn(okJson(ProviderResponses.openAiCompletion("alpha-small", "after the wait"))));
        long started = System.nanoTime();
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "alpha")
                .header("X-Tiergate-Attempts", "2")
                .body("choices[0].message.content", equalTo("after the wait"));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        org.junit.jupiter.api.Assertions.assertTrue(waitedMillis >= 1000, "Retry-After: 1 must be honoured, waited " + waitedMillis);
        assertEquals(CircuitBreakerState.CLOSED, registry.find("alpha").orElseThrow().backends().get(0).breakerState(),
                "a rate limit says nothing about the backend's health");
    }

    @Test
    void everyBackendFailingIsA503WithRetryAfterAndEveryAttemptListed() {
        fails(FakeProviders.ALPHA, 502);
        fails(FakeProviders.BETA, 503);
        fails(FakeProviders.OLLAMA, 500);
        fails(FakeProviders.CLAUDE, 500);
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("status", equalTo(503))
                .body("attempts.provider", hasItems("alpha", "beta", "ollama"))
                .body("attempts.outcome", hasItems("server_error"));
    }

    @Test
    void everyBackendRateLimitedIsA429WithTheShortestRetryAfter() {
        for (var server : new com.github.tomakehurst.wiremock.WireMockServer[] {FakeProviders.ALPHA, FakeProviders.BETA, FakeProviders.OLLAMA}) {
            server.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                    .withBody(ProviderResponses.openAiError("rate limited"))));
        }
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "20").withBody("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")));
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "20")
                .body("attempts.outcome", hasItems("rate_limited"));
    }

    @Test
    void upstreamClientErrorsAreReturnedAsTheyAreWithoutFallback() {
        FakeProviders.ALPHA.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\"}}")));
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post(CHAT)
                .then().statusCode(400)
                .header("X-Tiergate-Provider", "alpha")
                .body("error.message", equalTo("context too long"));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }
}
