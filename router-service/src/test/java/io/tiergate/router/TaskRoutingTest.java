package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Classification, extraction and embedding requests routed to a Tiergate pod (WireMock in its place). */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class TaskRoutingTest {

    private static final String CLASSIFY = """
            {"task":"ic-ooc","inputs":[{"text":"I roll for initiative.","speaker":"SAM"},{"text":"The door creaks open.","speaker":"MATT"}]}
            """;
    private static final String POD_ANSWER = """
            {"task":"ic-ooc","results":[{"index":0,"label":"OOC","confidence":0.93,"tier":"local","engine":"minilm"},
             {"index":1,"label":"IC","confidence":0.88,"tier":"local","engine":"minilm"}],"decided_by":{"local":2}}
            """;

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    @Test
    void classificationsAreScoredAndPassedToThePodUnchanged() {
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/classifications")).willReturn(okJson(POD_ANSWER)));
        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "classifier")
                .header("X-Tiergate-Tier", "simple")
                .header("X-Tiergate-Attempts", "1")
                .body("results[0].label", equalTo("OOC"));
        FakeProviders.POD.verify(postRequestedFor(urlEqualTo("/v1/classifications")).withRequestBody(equalToJson(CLASSIFY)));
    }

    @Test
    void extractionsAndEmbeddingsReachTheirPaths() {
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/extractions")).willReturn(okJson("{\"data\":{\"name\":null}}")));
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(okJson("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"all-minilm-l6-v2",
                 "usage":{"prompt_tokens":3,"total_tokens":3}}
                """)));
        given().contentType(ContentType.JSON)
                .body("{\"text\":\"Invoice 42\",\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}")
                .when().post("/v1/extractions")
                .then().statusCode(200).header("X-Tiergate-Provider", "classifier").body("data.name", equalTo(null));
        given().contentType(ContentType.JSON).body("{\"input\":[\"hello\"],\"model\":\"all-minilm-l6-v2\"}")
                .when().post("/v1/embeddings")
                .then().statusCode(200).header("X-Tiergate-Provider", "classifier").body("data[0].index", equalTo(0));
    }

    @Test
    void anEmbeddingsRequestToACloudProviderAsksForItsConfiguredModel() {
        FakeProviders.ALPHA.stubFor(post(urlEqualTo("/v1/embeddings")).willReturn(okJson(
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2]}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}")));
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "alpha")
                .body("{\"model\":\"whatever-the-caller-had\",\"input\":\"The door creaks open.\"}")
                .when().post("/v1/embeddings")
                .then().statusCode(200).header("X-Tiergate-Provider", "alpha").body("data[0].index", equalTo(0));
        FakeProviders.ALPHA.verify(postRequestedFor(urlEqualTo("/v1/embeddings"))
                .withRequestBody(equalToJson("{\"model\":\"text-embedding-3-small\",\"input\":\"The door creaks open.\"}")));
    }

    @Test
    void thePodsProblemsReachTheCallerAsTheyAre() {
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/classifications")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"title\":\"Invalid request\",\"status\":400,\"field\":\"task\",\"detail\":\"unknown task 'nope'\"}")));
        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("task"));
    }

    @Test
    void malformedBodiesAreRefusedByTheRouterItself() {
        given().contentType(ContentType.JSON).body("{\"inputs\": [")
                .when().post("/v1/classifications")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[1]")
                .when().post("/v1/embeddings")
                .then().statusCode(400).contentType("application/problem+json");
        FakeProviders.POD.verify(0, postRequestedFor(urlEqualTo("/v1/classifications")));
    }

    @Test
    void chatProvidersAreNeverSentThePodsPath() {
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/classifications")).willReturn(aResponse().withStatus(503)));
        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("attempts.provider", hasItem("classifier"));
        FakeProviders.ALPHA.verify(0, postRequestedFor(urlEqualTo("/v1/classifications")));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo("/v1/classifications")));
    }
}
