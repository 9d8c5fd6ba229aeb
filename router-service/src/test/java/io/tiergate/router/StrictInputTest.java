package io.tiergate.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input whose meaning is ambiguous or of the wrong kind is refused with a 4xx problem, never a 500 or a guess. */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class StrictInputTest {

    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    @Test
    void aKeyGivenTwiceIsMalformedJsonOnEveryRoutedEndpoint() {
        for (String path : new String[] {"/v1/chat/completions", "/v1/classifications", "/v1/embeddings", "/v1/route/explain"}) {
            given().contentType(ContentType.JSON)
                    .body("{\"input\":\"hello\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"input\":\"again\"}")
                    .when().post(path)
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("error.code", equalTo("malformed-json"))
                    .body("field", equalTo("input"));
        }
    }

    @Test
    void aNonNumberNamesItsFieldAndNotTheJsonReadersSettings() {
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":NaN}")
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.code", equalTo("malformed-json"))
                .body("field", equalTo("temperature"))
                .body("detail", not(containsString("JsonReadFeature")));
    }

    @Test
    void aNumberWhereALineOfTextBelongsIsRefusedNotTurnedIntoText() {
        given().contentType(ContentType.JSON)
                .body("{\"task\":\"ic-ooc\",\"inputs\":[{\"text\":\"I roll.\"},{\"text\":5}]}")
                .when().post("/v1/classifications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("inputs[1].text"));
    }

    @Test
    void anythingAfterTheBodysValueIsMalformedJsonOnEveryRoutedEndpoint() {
        for (String path : new String[] {"/v1/chat/completions", "/v1/classifications", "/v1/embeddings", "/v1/route/explain"}) {
            for (String trailing : new String[] {"garbage", "{}", "]"}) {
                given().contentType(ContentType.JSON)
                        .body("{\"input\":\"hello\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" + trailing)
                        .when().post(path)
                        .then().statusCode(400)
                        .contentType("application/problem+json")
                        .body("error.code", equalTo("malformed-json"));
            }
        }
    }

    @Test
    void anotherMethodOnARoutedEndpointIs405SayingPost() {
        for (String path : new String[] {"/v1/chat/completions", "/v1/audio/transcriptions", "/v1/audio/diarizations",
                "/v1/route/explain", "/v1/providers/compare-cost/audio/transcriptions"}) {
            given().get(path).then().statusCode(405).contentType("application/problem+json").header("Allow", "POST")
                    .body("status", equalTo(405));
            given().contentType(ContentType.JSON).body("{}").put(path).then().statusCode(405).header("Allow", "POST");
        }
    }

    @Test
    void anEmptyChatBodyIs400AndAFormIs415() {
        given().contentType(ContentType.JSON).body("")
                .when().post("/v1/chat/completions")
                .then().statusCode(400).contentType("application/problem+json");
        given().multiPart("messages", "hi")
                .when().post("/v1/chat/completions")
                .then().statusCode(415).contentType("application/problem+json").body("field", equalTo("Content-Type"));
        given().contentType(ContentType.URLENC).formParam("messages", "hi")
                .when().post("/v1/classifications")
                .then().statusCode(415).contentType("application/problem+json");
        for (String malformed : new String[] {"multipart/form-data; boundary=", "multipart/form-data; boundary=b; charset=bogus"}) {
            given().contentType(malformed).body("x".getBytes())
                    .when().post("/v1/chat/completions")
                    .then().statusCode(415).contentType("application/problem+json").body("field", equalTo("Content-Type"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"priority\":1.5}", "{\"priority\":\"3\"}", "{\"priority\":\"\"}", "{\"enabled\":\"false\"}",
            "{\"enabled\":false,\"enabled\":true}"})
    void adminChangesOfTheWrongTypeAreRefusedNotCoerced(String patch) {
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body(patch)
                .when().patch("/v1/providers/alpha")
                .then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/v1/providers").then().body("find { it.name == 'alpha' }.priority", equalTo(1))
                .body("find { it.name == 'alpha' }.enabled", equalTo(true));
    }
}
