package io.tiergate.classification.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.tiergate.classification.ModelReady;
import io.tiergate.classification.NoLlmProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** With no LLM tier configured the local answers stand, and the response says so. */
@QuarkusTest
@TestProfile(NoLlmProfile.class)
class NoLlmTierTest {

    @BeforeEach
    void awaitModel() {
        ModelReady.await();
    }

    @Test
    void unsureLinesKeepTheirLocalAnswer() {
        given().contentType(ContentType.JSON)
                .body(Map.of("task", "ic-ooc", "escalation_threshold", 1.0, "inputs",
                        List.of(Map.of("speaker", "SAM", "text", "Roll for initiative!"), Map.of("text", "The night is cold."))))
                .when().post("/v1/classifications").then()
                .statusCode(200)
                .body("results.tier", everyItem(equalTo("local")))
                .body("decided_by.local", equalTo(2))
                .body("cascade.llm_available", equalTo(false))
                .body("cascade.below_threshold", equalTo(2))
                .body("cascade.escalated", equalTo(0))
                .body("cascade.note", containsString("no LLM tier configured"));
    }

    @Test
    void llmOnlyRequestsAreRefused() {
        given().contentType(ContentType.JSON)
                .body(Map.of("task", "ic-ooc", "tier", "llm", "inputs", List.of(Map.of("text", "Hello"))))
                .when().post("/v1/classifications").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("tier"));
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "Hello", "schema", Map.of("type", "object", "properties", Map.of("a", Map.of("type", "string")))))
                .when().post("/v1/extractions").then()
                .statusCode(422).contentType("application/problem+json").body("type", containsString("llm-tier-unavailable"));
    }

    @Test
    void readyWithoutAnLlm() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'classification-model' }.data.'llm-tier'", equalTo("none"));
    }
}
