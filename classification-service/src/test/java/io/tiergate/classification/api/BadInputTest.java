package io.tiergate.classification.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.classification.FakeLlm;
import io.tiergate.classification.ModelReady;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad request gets a 4xx problem body naming the field, never a 500. */
@QuarkusTest
@QuarkusTestResource(FakeLlm.class)
class BadInputTest {

    @BeforeEach
    void awaitModel() {
        ModelReady.await();
    }

    private static final List<Map<String, String>> LABELS = List.of(Map.of("name", "a"), Map.of("name", "b"));
    private static final List<Map<String, String>> ONE_LINE = List.of(Map.of("text", "hello"));

    static Stream<Arguments> badClassifications() {
        List<Map<String, String>> tooMany = new ArrayList<>();
        for (int i = 0; i < 5001; i++) {
            tooMany.add(Map.of("text", "line " + i));
        }
        return Stream.of(
                Arguments.of("empty inputs", Map.of("labels", LABELS, "inputs", List.of()), "inputs"),
                Arguments.of("inputs missing", Map.of("labels", LABELS), "inputs"),
                Arguments.of("blank line", Map.of("labels", LABELS, "inputs", List.of(Map.of("text", "ok"), Map.of("text", "  "))), "inputs[1].text"),
                Arguments.of("over-long line", Map.of("labels", LABELS, "inputs", List.of(Map.of("text", "x".repeat(4001)))), "inputs[0].text"),
                Arguments.of("too many lines", Map.of("labels", LABELS, "inputs", tooMany), "inputs"),
                Arguments.of("over-long context after", Map.of("labels", LABELS, "inputs",
                        List.of(Map.of("text", "ok", "context_after", "x".repeat(4001)))), "inputs[0].context_after"),
                Arguments.of("over-long role", Map.of("labels", LABELS, "inputs", List.of(Map.of("text", "ok", "role", "x".repeat(201)))),
                        "inputs[0].role"),
                Arguments.of("unknown task", Map.of("task", "sentiment-xyz", "inputs", ONE_LINE), "task"),
                Arguments.of("labels missing", Map.of("inputs", ONE_LINE), "labels"),
                Arguments.of("one label", Map.of("labels", List.of(Map.of("name", "a")), "inputs", ONE_LINE), "labels"),
                Arguments.of("label without name", Map.of("labels", List.of(Map.of("name", "a"), Map.of("description", "b")), "inputs", ONE_LINE),
                        "labels[1].name"),
                Arguments.of("duplicate label", Map.of("labels", List.of(Map.of("name", "a"), Map.of("name", "A")), "inputs", ONE_LINE),
                        "labels[1].name"),
                Arguments.of("task and labels", Map.of("task", "ic-ooc", "labels", LABELS, "inputs", ONE_LINE), "labels"),
                Arguments.of("example with unknown label",
                        Map.of("labels", LABELS, "inputs", ONE_LINE, "examples", List.of(Map.of("text", "t", "label", "c"))), "examples[0].label"),
                Arguments.of("unknown tier", Map.of("labels", LABELS, "inputs", ONE_LINE, "tier", "cloud"), "tier"),
                Arguments.of("threshold out of range", Map.of("labels", LABELS, "inputs", ONE_LINE, "escalation_threshold", 1.5),
                        "escalation_threshold"),
                Arguments.of("unknown field", Map.of("labels", LABELS, "inputs", ONE_LINE, "labelz", 1), "labelz"),
                Arguments.of("inputs of the wrong type", Map.of("labels", LABELS, "inputs", "hello"), "inputs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badClassifications")
    void classificationProblems(String name, Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).when().post("/v1/classifications").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("field", equalTo(field));
    }

    @Test
    void aKeyGivenTwiceIsMalformedJsonNotA500() {
        given().contentType(ContentType.JSON)
                .body("{\"input\":\"hello\",\"model\":\"all-minilm-l6-v2-q\",\"input\":\"again\"}")
                .when().post("/v1/embeddings")
                .then().statusCode(400).contentType("application/problem+json").body("error.code", equalTo("malformed-json"));
        given().contentType(ContentType.JSON)
                .body("{\"labels\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"inputs\":[{\"text\":\"x\"}],\"inputs\":[]}")
                .when().post("/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json").body("error.code", equalTo("malformed-json"));
    }

    static Stream<Arguments> badExtractions() {
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")));
        return Stream.of(
                Arguments.of("text missing", Map.of("schema", schema), "text"),
                Arguments.of("blank text", Map.of("text", " ", "schema", schema), "text"),
                Arguments.of("over-long text", Map.of("text", "x".repeat(100_001), "schema", schema), "text"),
                Arguments.of("schema missing", Map.of("text", "Hello"), "schema"),
                Arguments.of("schema not an object", Map.of("text", "Hello", "schema", "string"), "schema"),
                Arguments.of("invalid schema keyword value", Map.of("text", "Hello", "schema",
                        Map.of("type", "object", "properties", Map.of("name", Map.of("type", "strin")))), "schema"),
                Arguments.of("schema of a non-object", Map.of("text", "Hello", "schema", Map.of("type", "string")), "schema"),
                Arguments.of("remote reference", Map.of("text", "Hello", "schema", Map.of("type", "object",
                        "properties", Map.of("name", Map.of("$ref", "http://169.254.169.254/schema")))), "schema.properties.name.$ref"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badExtractions")
    void extractionProblems(String name, Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).when().post("/v1/extractions").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
    }

    static Stream<Arguments> badEmbeddings() {
        return Stream.of(
                Arguments.of("input missing", Map.of("model", "all-minilm-l6-v2-q"), "input"),
                Arguments.of("empty input list", Map.of("input", List.of()), "input"),
                Arguments.of("blank input", Map.of("input", List.of("ok", "")), "input[1]"),
                Arguments.of("token arrays", Map.of("input", List.of(List.of(1, 2, 3))), "input[0]"),
                Arguments.of("number input", Map.of("input", 42), "input"),
                Arguments.of("other model", Map.of("input", "hi", "model", "nomic-embed-text"), "model"),
                Arguments.of("bad encoding", Map.of("input", "hi", "encoding_format", "int8"), "encoding_format"),
                Arguments.of("other dimensions", Map.of("input", "hi", "dimensions", 1024), "dimensions"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEmbeddings")
    void embeddingProblems(String name, Map<String, Object> body, String field) {
        given().contentType(ContentType.JSON).body(body).when().post("/v1/embeddings").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
    }

    @ParameterizedTest(name = "malformed JSON to {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/v1/classifications", "/v1/extractions", "/v1/embeddings"})
    void malformedJson(String path) {
        given().contentType(ContentType.JSON).body("{oops: ]").when().post(path).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
    }

    @ParameterizedTest(name = "empty body to {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/v1/classifications", "/v1/extractions", "/v1/embeddings"})
    void emptyBody(String path) {
        given().contentType(ContentType.JSON).when().post(path).then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
