package io.tiergate.router;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The router's OpenAPI document describes the routed endpoints (served on Vert.x) as well as the JAX-RS ones. */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class OpenApiTest {

    @Test
    void everyRoutedEndpointAndItsViewsAreDescribed() {
        given().queryParam("format", "json")
                .when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", hasKey("/v1/chat/completions"))
                .body("paths", hasKey("/v1/classifications"))
                .body("paths", hasKey("/v1/extractions"))
                .body("paths", hasKey("/v1/embeddings"))
                .body("paths", hasKey("/v1/audio/transcriptions"))
                .body("paths", hasKey("/v1/audio/translations"))
                .body("paths", hasKey("/v1/audio/diarizations"))
                .body("paths", hasKey("/v1/route/explain/{endpoint}"))
                .body("paths", hasKey("/v1/providers/compare-cost/{endpoint}"))
                .body("paths", hasKey("/v1/models"))
                .body("paths", hasKey("/v1/providers/health"))
                .body("paths.'/v1/classifications'.post.responses.'503'", notNullValue())
                .body("paths.'/v1/embeddings'.post.parameters.'$ref'", org.hamcrest.Matchers.hasItem("#/components/parameters/Provider"))
                .body("components.parameters.Provider.name", org.hamcrest.Matchers.equalTo("X-Tiergate-Provider"))
                .body("components.schemas.Problem.properties", hasKey("error"));
    }
}
