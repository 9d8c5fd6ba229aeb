package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static io.tiergate.usage.ServiceToken.authorized;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.quota.testing.RedisTestResource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
            {"provider":"groq","tokens":6001}                     | 400 | tokens
            {"provider":"openrouter","tokens":1099511627776}      | 400 | tokens
            {"provider":"openrouter","tokens":10000001}           | 400 | tokens
            {"provider":"groq","audio_seconds":86401}             | 400 | audio_seconds
            {"provider":"groq","tokens":99999999999999999999}     | 400 | tokens
            {"provider":"groq","tokens":"many"}                   | 400 | tokens
            {"provider":"groq","tokens":"12"}                     | 400 | tokens
            {"provider":"groq","tokens":12.5}                     | 400 | tokens
            {"provider":"groq","tokenz":12}                       | 400 | tokenz
            {"provider":"groq","accounts":"org-a"}                | 400 | accounts
            """)
    void badReservationsAreProblemsNamingTheField(String body, int status, String field) {
        authorized().contentType(ContentType.JSON).body(body).post("/v1/reservations")
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("field", equalTo(field))
                .body("detail", containsString(field.replaceAll("\\[.*", "")));
    }

    /** groq's smallest tokens limit is 6000 a minute; openrouter limits requests only, so the per-call maximum applies. */
    @Test
    void estimatesUpToWhatOneAccountCanHoldAreReserved() {
        for (String body : new String[] {"{\"provider\":\"groq\",\"tokens\":6000}", "{\"provider\":\"openrouter\",\"tokens\":10000000}",
                "{\"provider\":\"groq\",\"audio_seconds\":86400}"}) {
            String id = authorized().contentType(ContentType.JSON).body(body).post("/v1/reservations")
                    .then().statusCode(201).extract().path("reservation_id");
            authorized().delete("/v1/reservations/{id}", id).then().statusCode(200);
        }
    }

    @Test
    void anEstimateNoEligibleAccountCanEverHoldSaysWhatFits() {
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\",\"tokens\":6001}").post("/v1/reservations")
                .then().statusCode(400).body("field", equalTo("tokens")).body("detail", containsString("at most 6000"));
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"openrouter\",\"tokens\":1099511627776}").post("/v1/reservations")
                .then().statusCode(400).body("detail", containsString("tiergate.usage.max-tokens-per-call"));
    }

    /** Actual usage may outgrow the estimate and a minute limit; only the per-call maximum bounds it. */
    @Test
    void commitsAreBoundedByThePerCallMaximum() {
        String id = authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\",\"tokens\":100}").post("/v1/reservations")
                .then().statusCode(201).extract().path("reservation_id");
        authorized().contentType(ContentType.JSON).body("{\"tokens\":10000001}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(400).body("field", equalTo("tokens")).body("detail", containsString("10000000"));
        authorized().contentType(ContentType.JSON).body("{\"audio_seconds\":1099511627776}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(400).body("field", equalTo("audio_seconds"));
        authorized().contentType(ContentType.JSON).body("{\"tokens\":7000}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(200).body("settlement", equalTo("settled"));
    }

    static Stream<Arguments> hugeInputs() {
        String large = "x".repeat(200_000);
        return Stream.of(
                Arguments.of("/v1/reservations", "{\"provider\":\"" + "x".repeat(5_000_000) + "\"}", "provider"),
                Arguments.of("/v1/reservations", "{\"provider\":\"groq\",\"accounts\":[\"" + large + "\"]}", "accounts[0]"),
                Arguments.of("/v1/cooldowns", "{\"provider\":\"groq\",\"account\":\"" + large + "\"}", "account"),
                // Names are capped at 50,000 characters by the JSON parser; below that one is an unknown field.
                Arguments.of("/v1/reservations", "{\"provider\":\"groq\",\"" + "y".repeat(40_000) + "\":1}", "y".repeat(100)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("hugeInputs")
    void hugeInputsAreNotEchoedBack(String path, String body, String fieldStart) {
        String answer = authorized().contentType(ContentType.JSON).body(body).post(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", startsWith(fieldStart))
                .extract().asString();
        assertThat(answer.length()).isLessThan(4096);
    }

    @Test
    void malformedJsonIsAProblem() {
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\",").post("/v1/reservations")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
    }

    @Test
    void aKeyGivenTwiceIsMalformedJsonNotA500() {
        authorized().contentType(ContentType.JSON)
                .body("{\"provider\":\"groq\",\"tokens\":10,\"provider\":\"groq\"}")
                .post("/v1/reservations")
                .then().statusCode(400).contentType("application/problem+json").body("error.code", equalTo("malformed-json"));
    }

    @Test
    void missingBodyIsAProblem() {
        authorized().contentType(ContentType.JSON).post("/v1/reservations")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("body"));
    }

    @Test
    void commitWithNegativeOrNonNumericAmountsIsAProblem() {
        String id = authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations")
                .then().statusCode(201).extract().path("reservation_id");

        authorized().contentType(ContentType.JSON).body("{\"tokens\":-5}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("tokens"));
        authorized().contentType(ContentType.JSON).body("{\"audio_seconds\":\"ten\"}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("audio_seconds"));
        authorized().delete("/v1/reservations/{id}", id).then().statusCode(200);
    }

    @Test
    void unknownReservationIdsAreNotFound() {
        String foreign = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("nope\norg-a\nr123".getBytes(StandardCharsets.UTF_8));
        for (String id : new String[] {"not-a-reservation", "%%%", foreign}) {
            authorized().delete("/v1/reservations/{id}", id)
                    .then().statusCode(404).contentType("application/problem+json").body("field", equalTo("id"));
            authorized().contentType(ContentType.JSON).body("{\"tokens\":1}").post("/v1/reservations/{id}/commit", id)
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
        authorized().contentType(ContentType.JSON).body(body).post("/v1/cooldowns")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(field));
    }

    @Test
    void unknownProviderInUsageQueryIsAProblem() {
        given().queryParam("provider", "nope").get("/v1/usage")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("provider"));
    }
}
