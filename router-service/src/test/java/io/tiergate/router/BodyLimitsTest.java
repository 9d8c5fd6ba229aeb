package io.tiergate.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Each capability's endpoints may have a body limit of their own (tiergate.router.body-limits.<capability>). */
@QuarkusTest
@TestProfile(ExtraProvidersProfile.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class BodyLimitsTest {

    private static String classification(int characters) {
        return "{\"labels\":[{\"name\":\"ic\"},{\"name\":\"ooc\"}],\"inputs\":[{\"text\":\"" + "x".repeat(characters) + "\"}]}";
    }

    @Test
    void aClassificationOverItsOwnLimitIsA413NamingItWhileOtherEndpointsKeepTheirs() {
        given().contentType(ContentType.JSON).body(classification(3000))
                .when().post("/v1/route/explain/classifications")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString(Long.toString(ExtraProvidersProfile.CLASSIFICATION_LIMIT)));
        given().contentType(ContentType.JSON).body(classification(1000))
                .when().post("/v1/route/explain/classifications")
                .then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(3000) + "\"}]}")
                .when().post("/v1/route/explain")
                .then().statusCode(200);
    }
}
