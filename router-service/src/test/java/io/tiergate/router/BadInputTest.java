package io.tiergate.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;

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
        "user content null|{\"messages\":[{\"role\":\"user\",\"content\":null}]}|messages[0].content",
        "content parts not objects|{\"messages\":[{\"role\":\"user\",\"content\":[1,2]}]}|messages[0].content[0]",
        "text part without text|{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":7}]}]}|messages[0].content[0].text",
        "response_format without type|{\"response_format\":{},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|response_format",
        "json_schema not an object|{\"response_format\":{\"type\":\"json_schema\",\"json_schema\":5},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|response_format.json_schema",
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

    /** A problem quotes what the caller sent cut to its first 100 characters and its length, never whole. */
    @Test
    void aLongValueIsQuotedCutNotWhole() {
        String provider = "p".repeat(5000);
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", provider).body(RouterTestSupport.SIMPLE_CHAT)
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("field", equalTo("X-Tiergate-Provider"))
                .body("detail", containsString("(5000 characters)"))
                .body("detail.length()", lessThan(400));
        given().contentType(ContentType.JSON).body("{\"task\":\"" + "t".repeat(3000) + "\",\"inputs\":[{\"text\":\"a\"}]}")
                .when().post("/v1/classifications")
                .then().statusCode(400)
                .body("field", equalTo("task"))
                .body("detail", containsString("(3000 characters)"))
                .body("detail.length()", lessThan(400));
    }

    @Test
    void bodiesOverTheLimitAre413Problems() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        given().contentType(ContentType.JSON).body(big)
                .when().post("/v1/chat/completions")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("field", equalTo("Content-Length"))
                .body("detail", containsString("65536"));
    }
}
