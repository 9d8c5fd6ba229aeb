package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tiergate.quota.testing.RedisTestResource;
import org.junit.jupiter.api.Test;

/** The tracker describes its API at /q/openapi. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class OpenApiTest {

    @Test
    void documentDescribesTheTrackersEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200)
                .body("info.title", equalTo("Tiergate usage tracker"))
                .body("info.version", not(emptyOrNullString()))
                .body("info.description", not(emptyOrNullString()))
                .body("paths.'/v1/reservations'", hasKey("post"))
                .body("paths.'/v1/reservations/{id}/commit'", hasKey("post"))
                .body("paths.'/v1/reservations/{id}'", hasKey("delete"))
                .body("paths.'/v1/usage'", hasKey("get"))
                .body("paths.'/v1/cooldowns'", hasKey("post"))
                // Property names as the JSON has them.
                .body("components.schemas.ReserveRequest.properties", hasKey("audio_seconds"))
                .body("components.schemas.AccountUsage.properties", hasKey("cooldown_until"));
    }
}
