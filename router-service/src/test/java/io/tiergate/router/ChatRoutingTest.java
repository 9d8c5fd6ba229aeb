package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.COMPLEX_CHAT;
import static io.tiergate.router.RouterTestSupport.MEDIUM_CHAT;
import static io.tiergate.router.RouterTestSupport.SIMPLE_CHAT;
import static io.tiergate.router.RouterTestSupport.answers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.quota.testing.RedisTestResource;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = false)
class ChatRoutingTest {

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        answers(FakeProviders.ALPHA, "alpha-small", "hello from alpha");
        answers(FakeProviders.BETA, "beta-mid", "hello from beta");
        answers(FakeProviders.OLLAMA, "llama3.2:1b", "hello from ollama");
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo("/v1/messages"))
                .willReturn(okJson(ProviderResponses.anthropicMessage("claude-sonnet-4-5", "hello from claude"))));
    }

    @Test
    void simpleRequestGoesToTheHighestPriorityFreeProviderWithItsTierModelAndKey() {
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Tier", "simple")
                .header("X-Tiergate-Provider", "alpha")
                .header("X-Tiergate-Account", "a1")
                .header("X-Tiergate-Attempts", "1")
                .header("X-Tiergate-Score", notNullValue())
                .header("X-Request-Id", notNullValue())
                .body("choices[0].message.content", equalTo("hello from alpha"));
        FakeProviders.ALPHA.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", WireMock.equalTo("Bearer alpha-secret-1"))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("alpha-small")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", WireMock.equalTo("Say hi"))));
    }

    @Test
    void mediumRequestIsServedByTheCheapestMediumProvider() {
        given().contentType(ContentType.JSON).body(MEDIUM_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Tier", "medium")
                .header("X-Tiergate-Provider", "beta");
        FakeProviders.BETA.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("beta-mid"))));
    }

    @Test
    void complexRequestIsTranslatedToAnthropicMessagesAndBack() {
        given().contentType(ContentType.JSON).body(COMPLEX_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Tier", "complex")
                .header("X-Tiergate-Provider", "claude")
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.content", equalTo("hello from claude"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.total_tokens", equalTo(27));
        FakeProviders.CLAUDE.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("x-api-key", WireMock.equalTo("anthropic-secret"))
                .withHeader("anthropic-version", WireMock.equalTo("2023-06-01"))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("claude-sonnet-4-5")))
                .withRequestBody(matchingJsonPath("$.system", WireMock.equalTo("You are an expert.")))
                .withRequestBody(matchingJsonPath("$.max_tokens", WireMock.equalTo("4000")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", WireMock.equalTo("user"))));
    }

    @Test
    void forcedTierOverridesTheScore() {
        given().contentType(ContentType.JSON).header("X-Tiergate-Tier", "complex").body(SIMPLE_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Tier", "complex")
                .header("X-Tiergate-Provider", "claude");
    }

    @Test
    void forcedProviderIsTheOnlyCandidate() {
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "beta").body(SIMPLE_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta");
        FakeProviders.BETA.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo("beta-mini"))));
    }

    @Test
    void localOnlyPrivacyUsesOnlyLocalProvidersAndSendsNoKey() {
        given().contentType(ContentType.JSON).header("X-Tiergate-Privacy", "local-only").body(SIMPLE_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "ollama")
                .header("X-Tiergate-Account", "default")
                .body("choices[0].message.content", equalTo("hello from ollama"));
        FakeProviders.OLLAMA.verify(postRequestedFor(urlEqualTo("/v1/chat/completions")).withoutHeader("Authorization"));
        FakeProviders.ALPHA.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void localOnlyWithNoLocalProviderForTheTierIsA503NotACloudCall() throws Exception {
        List<String> errors = RouterTestSupport.errorsLoggedDuring(Duration.ofMillis(300), () ->
                given().contentType(ContentType.JSON).header("X-Tiergate-Privacy", "local-only").body(COMPLEX_CHAT)
                        .when().post("/v1/chat/completions")
                        .then().statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", notNullValue()));
        assertThat(errors).as("nothing went wrong in the router").isEmpty();
        FakeProviders.CLAUDE.verify(0, postRequestedFor(urlEqualTo("/v1/messages")));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void explainShowsScoreFeaturesCandidatesAndExclusionsWithoutCallingAnything() {
        given().contentType(ContentType.JSON).header("X-Tiergate-Privacy", "local-only").body(SIMPLE_CHAT)
                .when().post("/v1/route/explain")
                .then().statusCode(200)
                .body("tier", equalTo("simple"))
                .body("features.name", hasItem("prompt_tokens"))
                .body("features.find { it.name == 'reasoning_cues' }.weight", equalTo(2.5f))
                .body("candidates[0].provider", equalTo("ollama"))
                .body("candidates[0].rank", equalTo(1))
                .body("excluded.find { it.provider == 'alpha' }.reason", equalTo("not local (request is local-only)"))
                .body("excluded.find { it.provider == 'keyless' }.reason",
                        equalTo("not local (request is local-only)"));
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT)
                .when().post("/v1/route/explain")
                .then().statusCode(200)
                .body("candidates.provider", org.hamcrest.Matchers.contains("alpha", "beta", "ollama", "claude"))
                .body("candidates[0].accounts", org.hamcrest.Matchers.contains("a1", "a2"))
                .body("candidates.tier", org.hamcrest.Matchers.contains("simple", "simple", "simple", "complex"))
                .body("excluded.find { it.provider == 'gamma' }.reason", equalTo("disabled"))
                .body("excluded.find { it.provider == 'keyless' }.reason",
                        equalTo("no API key (environment variable KEYLESS_KEY_NOT_SET is unset)"));
        FakeProviders.ALPHA.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void unknownRequestFieldsPassThroughUnchanged() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"auto\",\"seed\":7,\"user\":\"u-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        FakeProviders.ALPHA.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(equalToJson("{\"model\":\"alpha-small\",\"seed\":7,\"user\":\"u-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
    }

    @Test
    void metricsCountRoutedRequests() {
        given().contentType(ContentType.JSON).body(SIMPLE_CHAT).post("/v1/chat/completions").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("tiergate_requests_total{account=\"a1\",capability=\"chat\""))
                .body(org.hamcrest.Matchers.containsString("tiergate_breaker_state"));
    }
}
