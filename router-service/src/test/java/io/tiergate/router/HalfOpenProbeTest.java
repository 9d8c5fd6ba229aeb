package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.MEDIUM_CHAT;
import static io.tiergate.router.RouterTestSupport.SIMPLE_CHAT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A half-open breaker lets one probe through. While it is in flight, other requests go to their next candidates, and
 * wait for the probe's outcome only when nothing else served them. The test configuration opens a breaker after three
 * failed requests, for 1500 ms.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class HalfOpenProbeTest {

    private static final String CHAT = "/v1/chat/completions";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        RouterTestSupport.answers(FakeProviders.ALPHA, "alpha-large", "hello from alpha");
    }

    private static Response chat(String provider, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        return (provider == null ? request : request.header("X-Tiergate-Provider", provider)).post(CHAT);
    }

    /** Opens the breaker of {@code provider}'s only backend, waits until it is half-open, then has it answer slowly. */
    private Backend halfOpen(String provider, WireMockServer server, String body, int status) {
        Backend backend = registry.find(provider).orElseThrow().backends().get(0);
        RouterTestSupport.fails(server, 503);
        for (int i = 0; i < 3; i++) {
            chat(provider, body).then().statusCode(503);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> backend.breakerState() == CircuitBreakerState.HALF_OPEN);
        server.resetAll();
        String answer = status == 200 ? ProviderResponses.openAiCompletion("m", "back again") : ProviderResponses.openAiError("still down");
        server.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(answer).withStatus(status).withFixedDelay(400)));
        return backend;
    }

    /** Sends the request that becomes the probe, and returns once it is in flight. */
    private static CompletableFuture<Response> probe(Backend backend, String provider, String body) {
        CompletableFuture<Response> probe = CompletableFuture.supplyAsync(() -> chat(provider, body));
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(5)).until(() -> backend.inFlight() == 1);
        return probe;
    }

    @Test
    void withNoOtherCandidateARequestWaitsForTheProbeAndIsServedOnceItClosedTheBreaker() {
        Backend ollama = halfOpen("ollama", FakeProviders.OLLAMA, SIMPLE_CHAT, 200);
        CompletableFuture<Response> probe = probe(ollama, "ollama", SIMPLE_CHAT);

        chat("ollama", SIMPLE_CHAT).then().statusCode(200)
                .header("X-Tiergate-Provider", "ollama")
                .header("X-Tiergate-Attempts", "2")
                .body("choices[0].message.content", equalTo("back again"));
        probe.join().then().statusCode(200).header("X-Tiergate-Attempts", "1");
        await().atMost(Duration.ofSeconds(1)).until(() -> ollama.breakerState() == CircuitBreakerState.CLOSED);
        FakeProviders.OLLAMA.verify(2, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void whenTheProbeFailsTheWaitingRequestIsRefusedByTheReopenedBreakerAndToldWhenToComeBack() {
        Backend ollama = halfOpen("ollama", FakeProviders.OLLAMA, SIMPLE_CHAT, 503);
        CompletableFuture<Response> probe = probe(ollama, "ollama", SIMPLE_CHAT);

        chat("ollama", SIMPLE_CHAT).then().statusCode(503)
                .header("Retry-After", "2") // the breaker's 1500 ms open time, from the probe's failure
                .body("attempts.outcome", contains("circuit_open", "circuit_open"))
                .body("attempts.detail", contains("circuit breaker half-open, its probe in flight", "circuit breaker open"));
        probe.join().then().statusCode(503);
        await().atMost(Duration.ofSeconds(1)).until(() -> ollama.breakerState() == CircuitBreakerState.OPEN);
        FakeProviders.OLLAMA.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void withAnotherCandidateARequestGoesThereInsteadOfWaitingForTheProbe() {
        // medium chats go to beta first (cheapest), then alpha
        Backend beta = halfOpen("beta", FakeProviders.BETA, MEDIUM_CHAT, 200);
        CompletableFuture<Response> probe = probe(beta, "beta", MEDIUM_CHAT);

        chat(null, MEDIUM_CHAT).then().statusCode(200)
                .header("X-Tiergate-Provider", "alpha")
                .body("choices[0].message.content", equalTo("hello from alpha"))
                .header("X-Tiergate-Attempts", "2");
        probe.join().then().statusCode(200).header("X-Tiergate-Provider", "beta");
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }
}
