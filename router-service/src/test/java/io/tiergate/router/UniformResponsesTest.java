package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of answer the router gives carries {@code X-Request-Id} (the caller's, or a generated one of fixed
 * length), and every error is one shape: an RFC 9457 problem with an OpenAI-style {@code error} member, whether the
 * router made it or a provider sent it.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class UniformResponsesTest {

    private static final String GENERATED_ID = "[0-9a-f]{32}";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    /** Sends the same call with and without a caller's id: echoed when given, generated (fixed length) when not. */
    private static ValidatableResponse bothWays(Function<RequestSpecification, io.restassured.response.Response> call) {
        call.apply(given().header("X-Request-Id", "caller-id-7")).then().header("X-Request-Id", "caller-id-7");
        return call.apply(given()).then().header("X-Request-Id", matchesPattern(GENERATED_ID));
    }

    private static void isProblem(ValidatableResponse response, int status, String field) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("error.message", notNullValue())
                .body("error.type", notNullValue())
                .body("error.code", notNullValue())
                .body("error.param", field == null ? nullValue() : equalTo(field));
    }

    @Test
    void successesOfEveryKindCarryTheId() {
        RouterTestSupport.answers(FakeProviders.ALPHA, "alpha-small", "hi");
        bothWays(spec -> spec.contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT).post("/v1/chat/completions"))
                .statusCode(200);
        bothWays(spec -> spec.contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT).post("/v1/route/explain"))
                .statusCode(200);
        bothWays(spec -> spec.contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT).post("/v1/providers/compare-cost"))
                .statusCode(200);
        bothWays(spec -> spec.get("/v1/providers")).statusCode(200);
        bothWays(spec -> spec.get("/v1/providers/health")).statusCode(200);
        bothWays(spec -> spec.get("/v1/models")).statusCode(200);
    }

    @Test
    void theRoutersOwnErrorsAreProblemsWithTheErrorMemberAndTheId() {
        isProblem(bothWays(spec -> spec.contentType(ContentType.JSON).body("{\"messages\":[]}").post("/v1/chat/completions")),
                400, "messages");
        isProblem(bothWays(spec -> spec.contentType(ContentType.JSON).body("{\"messages\":").post("/v1/chat/completions")),
                400, "messages");
        isProblem(bothWays(spec -> spec.contentType(ContentType.JSON).header("X-Tiergate-Tier", "huge")
                .body(RouterTestSupport.SIMPLE_CHAT).post("/v1/route/explain")), 400, "X-Tiergate-Tier");
        isProblem(bothWays(spec -> spec.contentType(ContentType.JSON).body("{\"x\":\"" + "a".repeat(70_000) + "\"}")
                .post("/v1/embeddings")), 413, "Content-Length");
        isProblem(bothWays(spec -> spec.contentType(ContentType.JSON).body("{\"enabled\":false}").patch("/v1/providers/alpha")),
                401, null);
        isProblem(bothWays(spec -> spec.contentType(ContentType.JSON).header("Authorization", "Bearer test-admin-token")
                .body("{\"enabled\":false}").patch("/v1/providers/nobody")), 404, null);
        isProblem(bothWays(spec -> spec.get("/v1/no-such-endpoint")), 404, null);
    }

    @Test
    void nothingToServeIsA503ProblemWithTheId() {
        RouterTestSupport.fails(FakeProviders.ALPHA, 503);
        RouterTestSupport.fails(FakeProviders.BETA, 503);
        RouterTestSupport.fails(FakeProviders.OLLAMA, 503);
        RouterTestSupport.fails(FakeProviders.CLAUDE, 503);
        ValidatableResponse response = given().header("X-Request-Id", "caller-id-8").contentType(ContentType.JSON)
                .body(RouterTestSupport.SIMPLE_CHAT).post("/v1/chat/completions").then().header("X-Request-Id", "caller-id-8");
        isProblem(response, 503, null);
        response.body("error.type", equalTo("server_error")).body("attempts.size()", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void aProvidersRefusalReachesTheCallerInTheSameShapeWithItsOwnMessage() {
        FakeProviders.ALPHA.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"max_tokens\",\"code\":null}}")));
        ValidatableResponse response = bothWays(spec -> spec.contentType(ContentType.JSON).body(RouterTestSupport.SIMPLE_CHAT)
                .post("/v1/chat/completions"))
                .header("X-Tiergate-Provider", "alpha")
                .body("detail", equalTo("max_tokens is too large"))
                .body("error.message", equalTo("max_tokens is too large"))
                .body("error.type", equalTo("invalid_request_error"));
        isProblem(response, 400, "max_tokens");
    }

    @Test
    void anAnthropicRefusalIsReadFromItsOwnErrorShape() {
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long\"}}")));
        ValidatableResponse response = given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "claude")
                .body(RouterTestSupport.SIMPLE_CHAT).post("/v1/chat/completions").then()
                .header("X-Request-Id", matchesPattern(GENERATED_ID))
                .body("error.message", equalTo("prompt is too long"));
        isProblem(response, 400, null);
    }
}
