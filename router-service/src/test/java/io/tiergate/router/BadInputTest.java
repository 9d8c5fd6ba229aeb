package io.tiergate.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class BadInputTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed JSON|{\"messages\": [|",
        "not an object|[1,2,3]|",
        "missing messages|{\"model\":\"auto\"}|messages",
        "messages not an array|{\"messages\":\"hi\"}|messages",
        "empty messages|{\"messages\":[]}|messages",
        "message not an object|{\"messages\":[\"hi\"]}|messages[0]",
        "missing role|{\"messages\":[{\"content\":\"hi\"}]}|messages[0].role",
        "unknown role|{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}|messages[0].role",
        "content wrong type|{\"messages\":[{\"role\":\"user\",\"content\":42}]}|messages[0].content",
        "model wrong type|{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|model",
        "stream wrong type|{\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|stream",
        "max_tokens negative|{\"max_tokens\":-5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|max_tokens",
        "max_tokens not integer|{\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|max_tokens",
    })
    void badChatBodiesAre400ProblemsNamingTheField(String name, String body, String field) {
        for (String path : new String[] {"/v1/chat/completions", "/v1/route/explain"}) {
            var response = given().contentType(ContentType.JSON).body(body)
                    .when().post(path)
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400));
            if (field != null && !field.isEmpty()) {
                response.body("field", equalTo(field));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "X-Tiergate-Tier|enormous",
        "X-Tiergate-Provider|nobody",
        "X-Tiergate-Privacy|public",
    })
    void badRoutingHeadersAre400ProblemsNamingTheHeader(String header, String value) {
        for (String path : new String[] {"/v1/chat/completions", "/v1/route/explain"}) {
            given().contentType(ContentType.JSON).header(header, value).body(RouterTestSupport.SIMPLE_CHAT)
                    .when().post(path)
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo(header))
                    .body("detail", containsString(value));
        }
    }

    @Test
    void bodiesOverTheLimitAre413Problems() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        given().contentType(ContentType.JSON).body(big)
                .when().post("/v1/chat/completions")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("65536"));
    }
}
