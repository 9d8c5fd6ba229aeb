package io.tiergate.classification.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.tiergate.classification.FakeLlm;
import io.tiergate.classification.ModelReady;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OpenAI-compatible embeddings from the in-process model. */
@QuarkusTest
@QuarkusTestResource(FakeLlm.class)
class EmbeddingApiTest {

    @BeforeEach
    void awaitModel() {
        ModelReady.await();
    }

    static JsonPath embed(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/embeddings").then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("model", equalTo("all-minilm-l6-v2-q"))
                .extract().jsonPath();
    }

    @Test
    void arrayInputGivesUnitVectorsInOrderWithSimilarTextsCloser() {
        JsonPath response = embed(Map.of("model", "all-minilm-l6-v2-q",
                "input", List.of("The cat sat on the mat.", "A kitten is sitting on a rug.", "Quarterly revenue grew by ten percent.")));
        assertThat(response.getList("data")).hasSize(3);
        assertThat(response.getList("data.index", Integer.class)).containsExactly(0, 1, 2);
        assertThat(response.getList("data.object", String.class)).containsOnly("embedding");
        float[][] vectors = new float[3][];
        for (int i = 0; i < 3; i++) {
            List<Float> values = response.getList("data[" + i + "].embedding", Float.class);
            assertThat(values).hasSize(384);
            vectors[i] = new float[values.size()];
            for (int d = 0; d < values.size(); d++) {
                vectors[i][d] = values.get(d);
            }
            assertThat(dot(vectors[i], vectors[i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
        assertThat(dot(vectors[0], vectors[1])).isGreaterThan(dot(vectors[0], vectors[2]) + 0.2);
        assertThat(response.getInt("usage.prompt_tokens")).isGreaterThan(10).isEqualTo(response.getInt("usage.total_tokens"));
    }

    @Test
    void base64EncodingMatchesFloats() {
        JsonPath floats = embed(Map.of("input", "Hello there"));
        JsonPath encoded = embed(Map.of("input", "Hello there", "encoding_format", "base64"));
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.getString("data[0].embedding"))).order(ByteOrder.LITTLE_ENDIAN);
        List<Float> expected = floats.getList("data[0].embedding", Float.class);
        assertThat(bytes.remaining()).isEqualTo(384 * 4);
        for (Float value : expected) {
            assertThat(bytes.getFloat()).isCloseTo(value, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void singleStringInput() {
        given().contentType(ContentType.JSON).body(Map.of("input", "One sentence.")).when().post("/v1/embeddings").then()
                .statusCode(200).body("data", hasSize(1)).body("data[0].embedding", hasSize(384));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002", "all-minilm-l6-v2"})
    void modelNamesOpenAiClientsSendAreServedByTheLocalModel(String model) {
        JsonPath asked = embed(Map.of("model", model, "input", "Hello there"));
        JsonPath unnamed = embed(Map.of("input", "Hello there"));
        assertThat(asked.getList("data[0].embedding", Float.class)).isEqualTo(unnamed.getList("data[0].embedding", Float.class));
    }

    @Test
    void unknownModelIsABadFieldListingTheValidNames() {
        given().contentType(ContentType.JSON).body(Map.of("model", "text-embedding-9", "input", "Hi")).when().post("/v1/embeddings").then()
                .statusCode(400)
                .body("field", equalTo("model"))
                .body("error.param", equalTo("model"))
                .body("error.message", containsString("'text-embedding-9'"))
                .body("error.message", containsString("all-minilm-l6-v2-q, text-embedding-3-small, text-embedding-3-large, "
                        + "text-embedding-ada-002, all-minilm-l6-v2"));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
