package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.ReservationResult;
import io.tiergate.quota.UsageAmount;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Explain and compare-cost for every capability, under each endpoint's own suffix, calling no backend. */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class TaskViewsTest {

    private static final String CLASSIFY = """
            {"labels":[{"name":"ic"},{"name":"ooc"}],"inputs":[{"text":"I roll for initiative."},{"text":"Pass the chips."}]}
            """;
    private static final String EMBED = "{\"model\":\"text-embedding-3-small\",\"input\":[\"hello\",\"world\"]}";

    @Inject
    ProviderRegistry registry;

    @Inject
    QuotaLedger ledger;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    @Test
    void aClassificationIsExplainedWithItsOwnFeaturesPodsAndChatProviders() {
        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/route/explain/classifications")
                .then().statusCode(200)
                .body("capability", equalTo("classification"))
                .body("features.name", hasItem("labels"))
                .body("features.find { it.name == 'items' }.value", equalTo(2.0f))
                .body("candidates.provider", hasItem("classifier"))
                .body("candidates.provider", hasItem("beta"))
                .body("excluded.find { it.provider == 'alpha' }.reason", equalTo("lacks capability classification"));
        noBackendWasCalled();
    }

    @Test
    void aClassificationWithBadInputIsRefusedByItsExplanationToo() {
        given().contentType(ContentType.JSON).body("{\"labels\":[{\"name\":\"ic\"}],\"inputs\":[]}")
                .when().post("/v1/route/explain/classifications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", startsWith("inputs"));
    }

    @Test
    void embeddingsAreExplainedAndCostedOnPodsAndOpenAiCompatibleProvidersOnly() {
        given().contentType(ContentType.JSON).body(EMBED)
                .when().post("/v1/route/explain/embeddings")
                .then().statusCode(200)
                .body("capability", equalTo("embeddings"))
                .body("candidates.provider", containsInAnyOrder("alpha", "classifier"))
                .body("excluded.find { it.provider == 'claude' }.reason", equalTo("lacks capability embeddings"));
        given().contentType(ContentType.JSON).body(EMBED)
                .when().post("/v1/providers/compare-cost/embeddings")
                .then().statusCode(200)
                .body("capability", equalTo("embeddings"))
                .body("estimated_input_tokens", equalTo(2))
                .body("providers.provider", containsInAnyOrder("alpha", "classifier"));
        noBackendWasCalled();
    }

    @Test
    void chatKeepsItsBareExplainAndCompareCostPathsAndGainsSuffixedOnes() {
        given().contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT)
                .when().post("/v1/route/explain/chat/completions")
                .then().statusCode(200)
                .body("capability", equalTo("chat"))
                .body("candidates.provider", contains("alpha", "beta", "ollama", "claude"));
        given().contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT)
                .when().post("/v1/providers/compare-cost/chat/completions")
                .then().statusCode(200)
                .body("capability", equalTo("chat"));
        noBackendWasCalled();
    }

    /**
     * Explain tests accounts with the request's own estimate, by the rule the reservation applies: an account with
     * room for small requests but not for this one, even with its output capped as far as it may be, is excluded, and
     * the reservation refuses it likewise.
     */
    @Test
    void explainExcludesAnAccountWithoutRoomForThisRequestAsTheReservationWould() {
        Provider gamma = registry.find("gamma").orElseThrow();
        gamma.setEnabled(true);
        List<AccountQuota> accounts = gamma.backends().stream().map(backend -> backend.quota().orElseThrow()).toList();
        RedisServer.attached().flushAll();
        try {
            for (AccountQuota account : accounts) {
                var used = (ReservationResult.Granted) ledger.reserve("gamma", List.of(account), UsageAmount.NONE).await().indefinitely();
                ledger.commit(used.reservation(), UsageAmount.tokens(99_990)).await().indefinitely();
            }
            String large = "{\"max_tokens\":150000,\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story\"}]}";
            given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma").body(large)
                    .when().post("/v1/route/explain")
                    .then().statusCode(200)
                    .body("candidates", org.hamcrest.Matchers.empty())
                    .body("excluded.find { it.account == 'g1' }.reason", startsWith("quota exhausted: tokens per day ("))
                    .body("excluded.find { it.account == 'g1' }.reason", org.hamcrest.Matchers.containsString("this request needs "));
            given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma").body(large)
                    .when().post("/v1/chat/completions")
                    .then().statusCode(429);
            FakeProviders.GAMMA.verify(0, anyRequestedFor(anyUrl()));
        } finally {
            gamma.setEnabled(false);
            RedisServer.attached().flushAll();
        }
    }

    private static void noBackendWasCalled() {
        FakeProviders.ALPHA.verify(0, anyRequestedFor(anyUrl()));
        FakeProviders.BETA.verify(0, anyRequestedFor(anyUrl()));
        FakeProviders.POD.verify(0, anyRequestedFor(anyUrl()));
    }
}
