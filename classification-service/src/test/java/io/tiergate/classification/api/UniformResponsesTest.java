package io.tiergate.classification.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.tiergate.classification.FakeLlm;
import io.tiergate.classification.ModelReady;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer of the pod, from its resources or from Quarkus and Vert.x themselves, carries {@code X-Request-Id};
 * every error is a problem body with the RFC 9457 members and the OpenAI-style {@code error} member.
 * The body limit is lowered to 4 KiB so a 413 is cheap to provoke; the request line and header limits are Quarkus's
 * defaults (4096 bytes and 20 KiB).
 */
@QuarkusTest
@QuarkusTestResource(FakeLlm.class)
@TestProfile(UniformResponsesTest.SmallBodyLimit.class)
class UniformResponsesTest {

    public static class SmallBodyLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-body-size", "4K");
        }
    }

    private static final String GENERATED_ID = "[0-9a-f]{32}";
    private static final String OVER_THE_LIMIT = "x".repeat(5000);

    @BeforeEach
    void awaitModel() {
        ModelReady.await();
        FakeLlm.SERVER.resetAll();
    }

    /** One request that fails, and the problem it must get: status, type slug, OpenAI error type and field. */
    record Failure(String name, String method, String path, String contentType, String body,
            int status, String code, String errorType, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                new Failure("400 bad field", "POST", "/v1/classifications", "application/json",
                        "{\"labels\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"inputs\":[]}", 400, "invalid-request", "invalid_request_error", "inputs"),
                new Failure("400 unknown embedding model", "POST", "/v1/embeddings", "application/json",
                        "{\"input\":\"hi\",\"model\":\"text-embedding-9\"}", 400, "invalid-request", "invalid_request_error", "model"),
                new Failure("400 malformed JSON", "POST", "/v1/extractions", "application/json", "{oops: ]",
                        400, "malformed-json", "invalid_request_error", null),
                new Failure("404 unknown path", "GET", "/v1/nowhere", null, null, 404, "not-found", "not_found_error", null),
                new Failure("405 wrong method", "GET", "/v1/embeddings", null, null,
                        405, "method-not-allowed", "invalid_request_error", null),
                new Failure("413 declared body over the limit", "POST", "/v1/embeddings", "application/json",
                        "{\"input\":\"" + OVER_THE_LIMIT + "\"}", 413, "body-too-large", "invalid_request_error", "Content-Length"),
                new Failure("414 request line over the limit", "GET", "/q/health/live?q=" + "x".repeat(20_000), null, null,
                        414, "uri-too-long", "invalid_request_error", null),
                new Failure("415 not JSON", "POST", "/v1/classifications", "text/plain", "hello",
                        415, "unsupported-media-type", "invalid_request_error", null))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void errorsAreProblemsThatEchoTheCallersRequestId(Failure failure) {
        String id = "caller-" + failure.status() + "-" + Math.abs(failure.name().hashCode());
        expectProblem(send(failure, given().header("X-Request-Id", id)), failure).header("X-Request-Id", id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void errorsWithoutARequestIdGetAGeneratedOne(Failure failure) {
        expectProblem(send(failure, given()), failure).header("X-Request-Id", matchesPattern(GENERATED_ID));
    }

    @Test
    void headersOverTheLimitAreAProblemNamingTheLargest() {
        Failure failure = new Failure("431 headers over the limit", "GET", "/q/health/live", null, null,
                431, "headers-too-large", "invalid_request_error", "X-Padding");
        expectProblem(send(failure, given().header("X-Request-Id", "big-headers").header("X-Padding", "x".repeat(30_000))), failure)
                .header("X-Request-Id", "big-headers");
    }

    @Test
    void successfulCallsEchoTheCallersIdOrGetAGeneratedOne() {
        given().header("X-Request-Id", "client-7f3a").contentType(ContentType.JSON).body(Map.of("input", "Hello"))
                .post("/v1/embeddings").then().statusCode(200).header("X-Request-Id", "client-7f3a");
        given().contentType(ContentType.JSON).body(Map.of("input", "Hello"))
                .post("/v1/embeddings").then().statusCode(200).header("X-Request-Id", matchesPattern(GENERATED_ID));
        given().get("/q/health/ready").then().statusCode(200).header("X-Request-Id", matchesPattern(GENERATED_ID));
    }

    @Test
    void unusableCallerIdsAreReplaced() {
        for (String unusable : List.of("has space", "x".repeat(129), "caf\u00e9")) {
            given().header("X-Request-Id", unusable).get("/q/health/live").then()
                    .statusCode(200).header("X-Request-Id", matchesPattern(GENERATED_ID));
        }
        given().header("X-Request-Id", "y".repeat(128)).get("/q/health/live").then().header("X-Request-Id", "y".repeat(128));
    }

    /** JAX-RS stops reading a chunked body at the limit and answers 413 itself, without a body; the id is still there. */
    @Test
    void chunkedBodyOverTheLimitStillCarriesTheRequestId() {
        byte[] body = ("{\"input\":\"" + OVER_THE_LIMIT + "\"}").getBytes(StandardCharsets.UTF_8);
        given().header("X-Request-Id", "chunked-1").contentType(ContentType.JSON).body(new ByteArrayInputStream(body))
                .post("/v1/embeddings").then().statusCode(413).header("X-Request-Id", "chunked-1");
    }

    @Test
    void logLinesOfARequestCarryItsIdOnTheWorkerThread() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(WireMock.aResponse().withStatus(500).withBody("{}")));
        List<String[]> seen = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = (ExtLogRecord) record;
                seen.add(new String[] {ext.getFormattedMessage(), ext.getMdc("request_id"), ext.getThreadName()});
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("io.tiergate.classification.llm.LlmClassifier");
        logger.addHandler(capture);
        try {
            given().header("X-Request-Id", "trace-llm-down").contentType(ContentType.JSON)
                    .body(Map.of("labels", List.of(Map.of("name", "a"), Map.of("name", "b")), "tier", "llm",
                            "inputs", List.of(Map.of("text", "hello"))))
                    .post("/v1/classifications").then().statusCode(200);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(seen).anySatisfy(line -> {
            assertThat(line[0]).contains("LLM tier call failed");
            assertThat(line[1]).isEqualTo("trace-llm-down");
            assertThat(line[2]).doesNotStartWith("vert.x-eventloop");
        });
    }

    private static ValidatableResponse send(Failure failure, RequestSpecification request) {
        if (failure.contentType() != null) {
            request.contentType(failure.contentType()).body(failure.body());
        }
        return request.request(failure.method(), failure.path()).then();
    }

    private static ValidatableResponse expectProblem(ValidatableResponse response, Failure failure) {
        response.statusCode(failure.status())
                .contentType("application/problem+json")
                .body("type", equalTo("https://tiergate.io/problems/" + failure.code()))
                .body("title", notNullValue())
                .body("status", equalTo(failure.status()))
                .body("detail", not(emptyOrNullString()))
                .body("field", equalTo(failure.field()))
                .body("error.type", equalTo(failure.errorType()))
                .body("error.code", equalTo(failure.code()))
                .body("error.param", equalTo(failure.field()));
        String detail = response.extract().path("detail");
        response.body("error.message", equalTo(detail));
        return response;
    }
}
