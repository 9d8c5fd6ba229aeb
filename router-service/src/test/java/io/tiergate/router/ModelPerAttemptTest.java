package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.answers;
import static io.tiergate.router.RouterTestSupport.fails;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every attempt is built from what the caller sent: a fallback never inherits the previous candidate's model. */
@QuarkusTest
@TestProfile(ExtraProvidersProfile.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class ModelPerAttemptTest {

    private static final String CHAT = "/v1/chat/completions";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    @Test
    void aFallbackWithoutAModelForTheTierIsSentTheCallersModelNotThePreviousCandidates() {
        fails(FakeProviders.ALPHA, 503);
        answers(FakeProviders.BETA, "my-own-model", "hello from plain");
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"my-own-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}")
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "plain");
        // alpha's two accounts, each tried three times, every time with alpha's model for the tier
        FakeProviders.ALPHA.verify(6, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model",
                WireMock.equalTo("alpha-small"))));
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model",
                WireMock.equalTo("my-own-model"))));
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aModelNamingATierForcesThatTier() {
        answers(FakeProviders.BETA, "beta-max", "hello from beta");
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"complex\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}")
                .when().post("/v1/route/explain")
                .then().statusCode(200)
                .body("tier", org.hamcrest.Matchers.equalTo("complex"))
                .body("candidates[0].model", org.hamcrest.Matchers.not("complex"));
    }

    @Test
    void aModelNamingAProvidersModelKeepsOnlyTheProvidersConfiguredWithIt() {
        answers(FakeProviders.BETA, "beta-mid", "hello from beta");
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"beta-mid\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}")
                .when().post(CHAT)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta");
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.model",
                WireMock.equalTo("beta-mid"))));
        FakeProviders.ALPHA.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }
}
