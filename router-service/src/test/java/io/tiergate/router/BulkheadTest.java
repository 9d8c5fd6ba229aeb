package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class BulkheadTest {

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    @Test
    void callsBeyondABackendsConcurrencyLimitWaitBrieflyThenMoveOn() throws Exception {
        // beta allows 2 calls in flight (test configuration); each answer takes 600 ms.
        FakeProviders.BETA.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(okJson(ProviderResponses.openAiCompletion("beta-mini", "slow beta")).withFixedDelay(600)));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                        .header("X-Tiergate-Provider", "beta").body(RouterTestSupport.SIMPLE_CHAT)
                        .post("/v1/chat/completions"), pool));
            }
            List<Integer> statuses = new ArrayList<>();
            String rejected = null;
            for (CompletableFuture<Response> call : calls) {
                Response response = call.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 503) {
                    rejected = response.body().asString();
                }
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 200, 503);
            assertThat(rejected).contains("\"outcome\":\"bulkhead_full\"");
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.find("beta").orElseThrow().backends().get(0).inFlight()).isZero();
    }
}
