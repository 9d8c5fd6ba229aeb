package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tiergate.quota.testing.RedisTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a configured service token the tracker still serves reads, and refuses every change saying why. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(NoServiceTokenTest.WithoutToken.class)
class NoServiceTokenTest {

    public static class WithoutToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.usage.service-token", "");
        }
    }

    @Test
    void changesAreRefusedNamingTheMissingSetting() {
        for (String authorization : new String[] {"Bearer " + ServiceToken.VALUE, "Bearer "}) {
            given().header("Authorization", authorization).contentType(ContentType.JSON).body("{\"provider\":\"groq\"}")
                    .post("/v1/reservations").then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", containsString("Bearer realm=\"tiergate-usage-tracker\""))
                    .body("detail", containsString("no service token is configured"))
                    .body("detail", containsString("TIERGATE_USAGE_SERVICE_TOKEN"));
        }
        given().get("/v1/usage").then().statusCode(200);
    }
}
