package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static io.tiergate.usage.ServiceToken.authorized;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.quota.testing.RedisTestResource;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Calls that change quota need the service token; reads do not. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ServiceTokenTest {

    private static final String GROQ_REQUESTS_DAY =
            "providers.find { it.provider == 'groq' }.accounts.collect { it.windows.find { w -> w.unit == 'requests' && w.window == 'day' }.used }.sum()";

    @BeforeEach
    void freshLedger() {
        RedisServer.attached().flushAll();
    }

    /** One call that changes quota, sent with whatever credentials the request already has. */
    record Change(String name, Function<RequestSpecification, io.restassured.response.Response> send) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Change> changes() {
        String id = "Z3JvcQpvcmctYQpyMTIz"; // a well-formed id of groq/org-a, so only the token decides
        return Stream.of(
                new Change("reserve", spec -> spec.contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations")),
                new Change("commit", spec -> spec.contentType(ContentType.JSON).body("{\"tokens\":1}").post("/v1/reservations/{id}/commit", id)),
                new Change("release", spec -> spec.delete("/v1/reservations/{id}", id)),
                new Change("cooldown", spec -> spec.contentType(ContentType.JSON)
                        .body("{\"provider\":\"groq\",\"account\":\"org-a\",\"retry_after_seconds\":30}").post("/v1/cooldowns")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void changesWithoutTheTokenAreRefusedWithAChallenge(Change change) {
        change.send().apply(given()).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"tiergate-usage-tracker\"")
                .body("error.type", equalTo("authentication_error"))
                .body("detail", containsString("Authorization: Bearer"));
        change.send().apply(given().auth().oauth2("not-the-token")).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"tiergate-usage-tracker\", error=\"invalid_token\"");
        change.send().apply(given().header("Authorization", "Basic " + ServiceToken.VALUE)).then().statusCode(401);
    }

    @Test
    void aRefusedReservationHoldsNothing() {
        given().contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"provider\":\"groq\",\"account\":\"org-a\",\"retry_after_seconds\":30}")
                .post("/v1/cooldowns").then().statusCode(401);

        given().get("/v1/usage").then().statusCode(200)
                .body(GROQ_REQUESTS_DAY, equalTo(0))
                .body("providers.find { it.provider == 'groq' }.accounts.findAll { it.cooldown_until != null }", equalTo(java.util.List.of()));
    }

    @Test
    void theTokenIsAcceptedWhateverTheCaseOfTheSchemeName() {
        given().header("Authorization", "bearer " + ServiceToken.VALUE).contentType(ContentType.JSON).body("{\"provider\":\"groq\"}")
                .post("/v1/reservations").then().statusCode(201);
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations").then().statusCode(201);
    }

    @Test
    void readsNeedNoToken() {
        given().get("/v1/usage").then().statusCode(200);
        given().queryParam("provider", "groq").get("/v1/usage").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
