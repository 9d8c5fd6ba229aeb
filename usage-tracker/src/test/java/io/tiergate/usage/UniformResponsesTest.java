package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.tiergate.common.problem.ProblemMappers;
import io.tiergate.quota.testing.RedisTestResource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every answer of the tracker, from its resources or from Quarkus and Vert.x themselves, carries {@code X-Request-Id};
 * every error is a problem body with the RFC 9457 members and the OpenAI-style {@code error} member. Failures are sent
 * with the service token unless they are about it. The body limit is lowered to 4 KiB so a 413 is cheap to provoke;
 * the request line and header limits are Quarkus's defaults (4096 bytes and 20 KiB).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(UniformResponsesTest.SmallBodyLimit.class)
class UniformResponsesTest {

    public static class SmallBodyLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-body-size", "4K");
        }
    }

    private static final String GENERATED_ID = "[0-9a-f]{32}";

    private static final Map<String, String> TOKEN = Map.of("Authorization", "Bearer " + ServiceToken.VALUE);

    /** One request that fails, and the problem it must get: status, type slug, OpenAI error type and field. */
    record Failure(String name, String method, String path, Map<String, String> headers, String contentType, String body,
            int status, String code, String errorType, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                new Failure("400 bad field", "POST", "/v1/reservations", TOKEN, "application/json", "{\"provider\":\"nope\"}",
                        400, "invalid-request", "invalid_request_error", "provider"),
                new Failure("400 malformed JSON", "POST", "/v1/cooldowns", TOKEN, "application/json", "{\"provider\":",
                        400, "malformed-json", "invalid_request_error", "provider"),
                new Failure("401 without the service token", "POST", "/v1/reservations", Map.of(), "application/json",
                        "{\"provider\":\"groq\"}", 401, "unauthorized", "authentication_error", null),
                new Failure("401 with a wrong service token", "DELETE", "/v1/reservations/not-a-reservation",
                        Map.of("Authorization", "Bearer not-the-token"), null, null, 401, "unauthorized", "authentication_error", null),
                new Failure("404 unknown path", "GET", "/v1/nowhere", TOKEN, null, null, 404, "not-found", "not_found_error", null),
                new Failure("404 unknown reservation", "DELETE", "/v1/reservations/not-a-reservation", TOKEN, null, null,
                        404, "unknown-reservation", "not_found_error", "id"),
                new Failure("405 wrong method", "GET", "/v1/reservations", TOKEN, null, null,
                        405, "method-not-allowed", "invalid_request_error", null),
                new Failure("413 declared body over the limit", "POST", "/v1/reservations", TOKEN, "application/json",
                        "{\"provider\":\"" + "x".repeat(5000) + "\"}", 413, "body-too-large", "invalid_request_error", "Content-Length"),
                new Failure("414 request line over the limit", "GET", "/v1/usage?provider=" + "x".repeat(20_000), Map.of(), null, null,
                        414, "uri-too-long", "invalid_request_error", null),
                new Failure("431 headers over the limit", "GET", "/v1/usage", Map.of("X-Padding", "x".repeat(30_000)), null, null,
                        431, "headers-too-large", "invalid_request_error", "X-Padding"),
                new Failure("415 not JSON", "POST", "/v1/reservations", TOKEN, "text/plain", "groq",
                        415, "unsupported-media-type", "invalid_request_error", null),
                new Failure("500 unexpected failure", "GET", "/test/failure", Map.of(), null, null,
                        500, "internal-error", "server_error", null))
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

    /**
     * Quarkus REST alone reads a chunked body within its input buffer (10 KiB) past the limit, and cuts a longer one off
     * with an empty 413.
     */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {5_000, 50_000})
    void aChunkedBodyOverTheLimitIsAProblemToo(int size) throws Exception {
        HttpResponse<String> response = postChunked("/v1/reservations", "{\"provider\":\"" + "x".repeat(size) + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"type\":\"https://tiergate.io/problems/body-too-large\"", "4096 bytes");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(GENERATED_ID));
    }

    @Test
    void aChunkedBodyUnderTheLimitIsRead() throws Exception {
        HttpResponse<String> response = postChunked("/v1/reservations", "{\"provider\":\"groq\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** An input stream of unknown length is sent chunked, without Content-Length (HTTP/2 has no chunks). */
    private static HttpResponse<String> postChunked(String path, String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                .version(HttpClient.Version.HTTP_1_1)
                .header("Authorization", TOKEN.get("Authorization")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void successfulCallsEchoTheCallersIdOrGetAGeneratedOne() {
        given().header("X-Request-Id", "client-7f3a").get("/v1/usage").then().statusCode(200).header("X-Request-Id", "client-7f3a");
        given().get("/v1/usage").then().statusCode(200).header("X-Request-Id", matchesPattern(GENERATED_ID));
        ServiceToken.authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations").then()
                .statusCode(201).header("X-Request-Id", matchesPattern(GENERATED_ID));
        given().get("/q/metrics").then().statusCode(200).header("X-Request-Id", matchesPattern(GENERATED_ID));
    }

    @Test
    void unusableCallerIdsAreReplaced() {
        for (String unusable : List.of("has space", "x".repeat(129), "caf\u00e9")) {
            given().header("X-Request-Id", unusable).get("/v1/usage").then()
                    .statusCode(200).header("X-Request-Id", matchesPattern(GENERATED_ID));
        }
    }

    @Test
    void logLinesOfARequestCarryItsId() {
        List<String[]> seen = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = (ExtLogRecord) record;
                seen.add(new String[] {ext.getFormattedMessage(), ext.getMdc("request_id")});
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger(ProblemMappers.class.getName());
        logger.addHandler(capture);
        try {
            given().header("X-Request-Id", "trace-failure").get("/test/failure").then().statusCode(500);
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(seen).anySatisfy(line -> {
            assertThat(line[0]).isEqualTo("Unexpected failure");
            assertThat(line[1]).isEqualTo("trace-failure");
        });
    }

    private static ValidatableResponse send(Failure failure, RequestSpecification request) {
        request.headers(failure.headers());
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
