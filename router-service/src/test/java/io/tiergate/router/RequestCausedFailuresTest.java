package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.SIMPLE_CHAT;
import static io.tiergate.router.RouterTestSupport.answers;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream failures the caller's own request caused never count toward a backend's breaker: a refusal passed back
 * to the caller, and a 500 the request brings about again on its retry. The test configuration opens a breaker after
 * three failed requests. Ollama has a single backend, so one request counts once.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class RequestCausedFailuresTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final String CHOKING_CHAT = """
            {"model":"auto","messages":[{"role":"user","content":"choke on this"}]}
            """;
    private static final String TOO_LONG_CHAT = """
            {"model":"auto","messages":[{"role":"user","content":"too long for you"}]}
            """;
    /** What a Tiergate pod answers when handling a request blew up: the same body every time. */
    private static final String INTERNAL_ERROR = """
            {"type":"https://tiergate.io/problems/internal-error","title":"Internal error","status":500,
             "detail":"The request failed unexpectedly; see the service log."}
            """;

    @Inject
    ProviderRegistry registry;

    private Backend ollama;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        ollama = registry.find("ollama").orElseThrow().backends().get(0);
        answers(FakeProviders.OLLAMA, "llama3.2:1b", "hello from ollama");
        answers(FakeProviders.ALPHA, "alpha-small", "hello from alpha");
        answers(FakeProviders.BETA, "beta-mini", "hello from beta");
        // Each test starts from a backend that has just answered, as a backend in service has.
        onOllama(SIMPLE_CHAT).statusCode(200).header("X-Tiergate-Provider", "ollama");
    }

    private static ValidatableResponse onOllama(String body) {
        return given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "ollama").header("X-Tiergate-Tier", "simple")
                .body(body).post(CHAT).then();
    }

    /** A request's outcome reaches the breaker just after its answer: a closed breaker is watched for a while. */
    private void staysClosed() {
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> ollama.breakerState() == CircuitBreakerState.CLOSED);
    }

    private void opens() {
        await().atMost(Duration.ofSeconds(2)).until(() -> ollama.breakerState() == CircuitBreakerState.OPEN);
    }

    private static void chokesOn(WireMockServer server, String text) {
        chokesOn(server, CHAT, text);
    }

    private static void chokesOn(WireMockServer server, String path, String text) {
        server.stubFor(post(urlEqualTo(path)).withRequestBody(containing(text)).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/problem+json").withBody(INTERNAL_ERROR)));
    }

    @Test
    void aBodyTheBackendChokesOnIsTriedTwiceAndNeverOpensItsBreaker() {
        chokesOn(FakeProviders.OLLAMA, "choke");
        for (int i = 0; i < 3; i++) {
            onOllama(CHOKING_CHAT).statusCode(503)
                    .header("X-Tiergate-Attempts", "2")
                    .body("attempts.outcome", contains("server_error", "request_caused_error"))
                    .body("attempts.status", contains(500, 500));
        }
        FakeProviders.OLLAMA.verify(6, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(containing("choke")));
        staysClosed(); // three requests the backend choked on are not three failures

        onOllama(SIMPLE_CHAT).statusCode(200).header("X-Tiergate-Provider", "ollama")
                .body("choices[0].message.content", equalTo("hello from ollama"));
    }

    @Test
    void aRequestThatChokedOneBackendGetsOneTryOnEachFurtherCandidate() {
        for (WireMockServer server : new WireMockServer[] {FakeProviders.ALPHA, FakeProviders.BETA, FakeProviders.OLLAMA}) {
            chokesOn(server, "choke");
        }
        chokesOn(FakeProviders.CLAUDE, "/v1/messages", "choke");
        // alpha a1 twice (the same 500), then alpha a2, beta, ollama and claude once each: not three tries of each
        given().contentType(ContentType.JSON).header("X-Tiergate-Tier", "simple").body(CHOKING_CHAT).post(CHAT).then()
                .statusCode(503)
                .header("X-Tiergate-Attempts", "6")
                .body("attempts.outcome", contains("server_error", "request_caused_error", "request_caused_error",
                        "request_caused_error", "request_caused_error", "request_caused_error"))
                .body("attempts.provider", contains("alpha", "alpha", "alpha", "beta", "ollama", "claude"));
        FakeProviders.ALPHA.verify(3, postRequestedFor(urlEqualTo(CHAT)));
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT)));
        FakeProviders.CLAUDE.verify(1, postRequestedFor(urlEqualTo("/v1/messages")));
    }

    @Test
    void aBackendFailingEveryRequestAlikeIsNotExcusedForLongAndItsBreakerOpens() {
        chokesOn(FakeProviders.OLLAMA, "");
        for (int i = 0; i < 5; i++) {
            onOllama(SIMPLE_CHAT).statusCode(503).header("X-Tiergate-Attempts", "2");
        }
        // three requests in a row are taken for their own doing; after them the failures are the backend's: the third opens it
        staysClosed();
        onOllama(SIMPLE_CHAT).statusCode(503);
        opens();
    }

    @Test
    void aRefusalOfTheCallersRequestCountsNeitherAsAFailureNorAsASuccess() {
        RouterTestSupport.fails(FakeProviders.OLLAMA, 503);
        FakeProviders.OLLAMA.stubFor(post(urlEqualTo(CHAT)).withRequestBody(containing("too long")).willReturn(aResponse()
                .withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\"}}")));

        onOllama(SIMPLE_CHAT).statusCode(503);
        onOllama(TOO_LONG_CHAT).statusCode(400).header("X-Tiergate-Provider", "ollama").body("error.message", equalTo("context too long"));
        onOllama(SIMPLE_CHAT).statusCode(503);
        staysClosed();
        // the third failed request opens the breaker: the refusal between them did not count as an answer that
        // broke the run of failures
        onOllama(SIMPLE_CHAT).statusCode(503);
        opens();
    }
}
