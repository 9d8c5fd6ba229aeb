package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.SIMPLE_CHAT;
import static io.tiergate.router.RouterTestSupport.answers;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.router.health.BackendProber;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class AdminApiTest {

    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    ProviderRegistry registry;

    @Inject
    BackendProber prober;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        answers(FakeProviders.ALPHA, "alpha-small", "hello from alpha");
        answers(FakeProviders.BETA, "beta-mini", "hello from beta");
    }

    @Test
    void listsProvidersWithAccountsAndLimitsButNeverKeys() {
        given().when().get("/v1/providers")
                .then().statusCode(200)
                .body("name", hasItem("alpha"))
                .body("find { it.name == 'alpha' }.protocol", equalTo("openai"))
                .body("find { it.name == 'alpha' }.tiers", contains("simple", "medium"))
                .body("find { it.name == 'alpha' }.accounts[0].api_key_env", equalTo("ALPHA_KEY_1"))
                .body("find { it.name == 'alpha' }.accounts[0].api_key_present", equalTo(true))
                .body("find { it.name == 'gamma' }.accounts[0].limits.requests.per_day", equalTo(2))
                .body("find { it.name == 'gamma' }.quota.failure_policy", equalTo("closed"))
                .body("find { it.name == 'alpha' }.quota.failure_policy", equalTo("open"))
                .body("find { it.name == 'keyless' }.accounts[0].api_key_present", equalTo(false))
                .body(not(org.hamcrest.Matchers.containsString("alpha-secret-1")));
    }

    @Test
    void mutatingCallsNeedTheAdminToken() {
        given().contentType(ContentType.JSON).body("{\"enabled\":false}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"tiergate-router-admin\"");
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body("{\"enabled\":false}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"tiergate-router-admin\", error=\"invalid_token\"");
        given().when().get("/v1/providers").then().body("find { it.name == 'alpha' }.enabled", equalTo(true));
    }

    @Test
    void disablingAProviderTakesEffectOnTheNextRequestAndReEnablingRestoresIt() {
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"enabled\":false}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(200).body("enabled", equalTo(false));
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post("/v1/chat/completions")
                .then().statusCode(200).header("X-Tiergate-Provider", "beta");
        FakeProviders.ALPHA.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post("/v1/route/explain")
                .then().body("excluded.find { it.provider == 'alpha' }.reason", equalTo("disabled"));
        given().when().get("/v1/providers/health").then().body("find { it.provider == 'alpha' }.status", equalTo("disabled"));

        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"enabled\":true}")
                .when().patch("/v1/providers/alpha").then().statusCode(200);
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post("/v1/chat/completions")
                .then().statusCode(200).header("X-Tiergate-Provider", "alpha");
    }

    @Test
    void changingPriorityReordersCandidates() {
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"priority\":50}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(200).body("priority", equalTo(50));
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post("/v1/route/explain")
                .then().body("candidates.provider", contains("beta", "ollama", "alpha", "claude"));
    }

    @Test
    void badPatchesAreProblems() {
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"enabled\":false}")
                .when().patch("/v1/providers/nope")
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"priority\":\"high\"}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("priority"));
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"priority\":-1}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(400).body("field", equalTo("priority"));
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"enable\":false}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(400).body("field", equalTo("enable"));
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{}")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{oops")
                .when().patch("/v1/providers/alpha")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void compareCostListsEligibleProvidersCheapestFirst() {
        given().contentType(ContentType.JSON).body("{\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")
                .when().post("/v1/providers/compare-cost")
                .then().statusCode(200)
                .body("estimated_output_tokens", equalTo(1000))
                .body("providers.provider", contains("ollama", "beta", "alpha", "claude"))
                .body("providers[0].estimated_cost_usd", equalTo(0.0f))
                .body("providers.find { it.provider == 'claude' }.paid", equalTo(true));
    }

    @Test
    void failingHealthProbeExcludesALocalBackendAndRecoveryReadmitsIt() {
        FakeProviders.OLLAMA.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/api/tags")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.serverError()));
        prober.probeAll().await().indefinitely();
        given().contentType(ContentType.JSON).header("X-Tiergate-Privacy", "local-only").body(SIMPLE_CHAT)
                .post("/v1/route/explain")
                .then().body("candidates", org.hamcrest.Matchers.empty())
                .body("excluded.find { it.provider == 'ollama' }.reason", equalTo("health probe failing: HTTP 500"));
        given().when().get("/v1/providers/health")
                .then().body("find { it.provider == 'ollama' }.probe.status", equalTo("down"));

        FakeProviders.OLLAMA.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/api/tags")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(ProviderResponses.ollamaTags())));
        prober.probeAll().await().indefinitely();
        given().contentType(ContentType.JSON).header("X-Tiergate-Privacy", "local-only").body(SIMPLE_CHAT)
                .post("/v1/route/explain")
                .then().body("candidates[0].provider", equalTo("ollama"));
        given().when().get("/v1/providers/health")
                .then().body("find { it.provider == 'ollama' }.probe.status", equalTo("up"))
                .body("find { it.provider == 'ollama' }.open_until", nullValue());
    }

    @Test
    void healthEndpointsAnswer() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("routing"));
    }

    @Test
    void anAccountWithoutItsKeyIsShownUnusableWithTheReasonExplainGives() {
        given().when().get("/v1/providers/health")
                .then().statusCode(200)
                .body("find { it.provider == 'keyless' }.status", equalTo("unusable"))
                .body("find { it.provider == 'keyless' }.reason",
                        equalTo("no API key (environment variable KEYLESS_KEY_NOT_SET is unset)"))
                .body("find { it.provider == 'alpha' && it.account == 'a1' }.status", equalTo("up"))
                .body("find { it.provider == 'gamma' }.status", equalTo("disabled"));
    }
}
