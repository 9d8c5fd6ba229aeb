package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.COMPLEX_CHAT;
import static io.tiergate.router.RouterTestSupport.answers;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ZeroBudgetTest.ZeroBudget.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class ZeroBudgetTest {

    public static class ZeroBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.router.budget.allow-paid", "false");
        }
    }

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        answers(FakeProviders.BETA, "beta-max", "hello from beta");
    }

    @Test
    void paidProvidersAreNeverUsedInZeroBudgetMode() {
        given().contentType(ContentType.JSON).body(COMPLEX_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Tier", "complex")
                .header("X-Tiergate-Provider", "beta");
        FakeProviders.CLAUDE.verify(0, postRequestedFor(urlEqualTo("/v1/messages")));
        given().contentType(ContentType.JSON).body(COMPLEX_CHAT)
                .when().post("/v1/route/explain")
                .then().body("excluded.find { it.provider == 'claude' }.reason", equalTo("paid disallowed (zero-budget mode)"));
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "claude").body(COMPLEX_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(503).contentType("application/problem+json");
        FakeProviders.CLAUDE.verify(0, postRequestedFor(urlEqualTo("/v1/messages")));
    }
}
