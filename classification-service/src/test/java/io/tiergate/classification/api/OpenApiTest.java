package io.tiergate.classification.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tiergate.classification.FakeLlm;
import org.junit.jupiter.api.Test;

/** The pod describes its API at /q/openapi. */
@QuarkusTest
@QuarkusTestResource(FakeLlm.class)
class OpenApiTest {

    @Test
    void documentDescribesThePodsEndpoints() {
        given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200)
                .body("info.title", equalTo("Tiergate classification pod"))
                .body("info.version", not(emptyOrNullString()))
                .body("info.description", not(emptyOrNullString()))
                .body("paths", hasKey("/v1/classifications"))
                .body("paths", hasKey("/v1/extractions"))
                .body("paths", hasKey("/v1/embeddings"))
                .body("paths.'/v1/classifications'", hasKey("post"))
                .body("paths.'/v1/extractions'", hasKey("post"))
                .body("paths.'/v1/embeddings'", hasKey("post"))
                // Property names as the JSON has them.
                .body("components.schemas.EmbeddingRequest.properties", hasKey("encoding_format"))
                .body("components.schemas.ClassificationRequest.properties", hasKey("escalation_threshold"));
    }
}
