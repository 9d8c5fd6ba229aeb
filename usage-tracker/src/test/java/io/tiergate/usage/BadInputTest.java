package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.quota.testing.RedisTestResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BadInputTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"provider":"nope"}                                   | 400 | provider
            {"provider":"whisper-pod"}                            | 400 | provider
            {"tokens":5}                                          | 400 | provider
            {"provider":"groq","accounts":["org-a","org-z"]}      | 400 | accounts[1]
            {"provider":"groq","accounts":[]}                     | 400 | accounts
            {"provider":"groq","tokens":-1}                       | 400 | tokens
            {"provider":"groq","audio_seconds":-30}               | 400 | audio_seconds
            {"provider":"groq","tokens":9223372036854775807}      | 400 | tokens
            {"provider":"groq","tokens":99999999999999999999}     | 400 | tokens
            {"provider":"groq","tokens":"many"}                   | 400 | tokens
            {"provider":"groq","tokens":"12"}                     | 400 | tokens
            {"provider":"groq","tokens":12.5}                     | 400 | tokens
            {"provider":"groq","tokenz":12}                       | 400 | tokenz
            {"provider":"groq","accounts":"org-a"}                | 400 | accounts
            """)
    void badReservationsAreProblemsNamingTheField(String body, int status, String field) {
        given().contentType(ContentType.JSON).body(body).post("/v1/reservations")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("field", equalTo(field))
                .body("detail", containsString(field.replaceAll("\\[.*", "")));
    }

    @Test
    void malformedJsonIsAProblem() {
        given().contentType(ContentType.JSON).body("{\"provider\":\"groq\",").post("/v1/reservations")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
    }

    @Test
    void aKeyGivenTwiceIsMalformedJsonNotA500() {
        given().contentType(ContentType.JSON)
                .body("{\"provider\":\"groq\",\"tokens\":10,\"provider\":\"groq\"}")
                .post("/v1/reservations")
                .then().statusCode(400).contentType("application/problem+json").body("error.code", equalTo("malformed-json"));
    }

    @Test
    void missingBodyIsAProblem() {
        given().contentType(ContentType.JSON).post("/v1/reservations")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("body"));
    }

    @Test
    void commitWithNegativeOrNonNumericAmountsIsAProblem() {
        String id = given().contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations")
                .then().statusCode(201).extract().path("reservation_id");

        given().contentType(ContentType.JSON).body("{\"tokens\":-5}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("tokens"));
        given().contentType(ContentType.JSON).body("{\"audio_seconds\":\"ten\"}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("audio_seconds"));
        given().delete("/v1/reservations/{id}", id).then().statusCode(200);
    }

    @Test
    void unknownReservationIdsAreNotFound() {
        String foreign = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("nope\norg-a\nr123".getBytes(StandardCharsets.UTF_8));
        for (String id : new String[] {"not-a-reservation", "%%%", foreign}) {
            given().delete("/v1/reservations/{id}", id)
                    .then().statusCode(404).contentType("application/problem+json").body("field", equalTo("id"));
            given().contentType(ContentType.JSON).body("{\"tokens\":1}").post("/v1/reservations/{id}/commit", id)
                    .then().statusCode(404).contentType("application/problem+json");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"provider":"groq","account":"org-z"}                            | account
            {"provider":"nope","account":"org-a"}                            | provider
            {"provider":"groq"}                                              | account
            {"provider":"groq","account":"org-a","retry_after_seconds":-3}   | retry_after_seconds
            {"provider":"groq","account":"org-a","retry_after_seconds":"x"}  | retry_after_seconds
            """)
    void badCooldownsAreProblemsNamingTheField(String body, String field) {
        given().contentType(ContentType.JSON).body(body).post("/v1/cooldowns")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }

    @Test
    void unknownProviderInUsageQueryIsAProblem() {
        given().queryParam("provider", "nope").get("/v1/usage")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("provider"));
    }
}
