package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Classifications and extractions served by cloud chat providers as chat calls (beta, OpenAI-compatible, when the pod
 * cannot serve them; claude, Anthropic's Messages API, when forced). The test configuration sends two lines per classification chat call.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class CloudTasksTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final String CLASSIFY = """
            {"task":"ic-ooc","inputs":[{"text":"I roll for initiative.","speaker":"SAM"},
             {"text":"The door creaks open.","speaker":"MATT"},{"text":"Grog swings his axe.","speaker":"TRAVIS"}]}
            """;

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void podIsDown() {
        RouterTestSupport.reset(registry);
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/classifications")).willReturn(aResponse().withStatus(503)));
        FakeProviders.POD.stubFor(post(urlEqualTo("/v1/extractions")).willReturn(aResponse().withStatus(503)));
    }

    /** Beta answers {@code answer} (a JSON string) to every chat call whose prompt holds the line with this id. */
    private static void betaAnswersFor(int lineId, String answer) {
        FakeProviders.BETA.stubFor(post(urlEqualTo(CHAT))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("{\"id\":" + lineId + ",")))
                .willReturn(okJson(ProviderResponses.openAiCompletion("beta-mini", answer))));
    }

    @Test
    void aFailingPodFallsBackToBatchedChatCallsOnACloudProvider() {
        betaAnswersFor(0, "{\"answers\":[{\"id\":0,\"label\":\"OOC\",\"confidence\":0.9},{\"id\":1,\"label\":\"IC\",\"confidence\":0.8}]}");
        betaAnswersFor(2, "```json\n{\"answers\":[{\"id\":2,\"label\":\"ic\",\"confidence\":0.7}]}\n```");

        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().log().ifValidationFails().statusCode(200)
                .header("X-Tiergate-Provider", "beta")
                .header("X-Tiergate-Attempts", "2")
                .body("task", equalTo("ic-ooc"))
                .body("results.label", contains("OOC", "IC", "IC"))
                .body("results.tier", everyItem(equalTo("llm")))
                .body("results.engine", everyItem(equalTo("beta/beta-mini")))
                .body("decided_by.llm", equalTo(3));

        FakeProviders.POD.verify(postRequestedFor(urlEqualTo("/v1/classifications")));
        FakeProviders.BETA.verify(2, postRequestedFor(urlEqualTo(CHAT)).withHeader("Authorization", containing("Bearer ")));
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("I roll for initiative."))));
    }

    @Test
    void anAnthropicProviderClassifiesThroughItsMessagesApiAndAPartialAnswerIsRepaired() {
        String messages = "/v1/messages";
        // First batch: line 0 decided, line 1 given a label that does not exist; the repair names line 1 only.
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo(messages))
                .withRequestBody(matchingJsonPath("$.messages[0].content", containing("{\"id\":0,")))
                .willReturn(okJson(ProviderResponses.anthropicMessage("claude-sonnet-4-5",
                        "Here are the labels:\n{\"answers\":[{\"id\":0,\"label\":\"OOC\",\"confidence\":0.95},"
                                + "{\"id\":1,\"label\":\"NARRATION\",\"confidence\":0.6}]}"))));
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo(messages)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.messages[2].content", containing("for exactly these line ids: 1.")))
                .willReturn(okJson(ProviderResponses.anthropicMessage("claude-sonnet-4-5",
                        "{\"answers\":[{\"id\":1,\"label\":\"IC\",\"confidence\":0.85}]}"))));
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo(messages))
                .withRequestBody(matchingJsonPath("$.messages[0].content", containing("{\"id\":2,")))
                .willReturn(okJson(ProviderResponses.anthropicMessage("claude-sonnet-4-5",
                        "{\"answers\":[{\"id\":2,\"label\":\"IC\",\"confidence\":0.9}]}"))));

        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "claude").body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().log().ifValidationFails().statusCode(200)
                .header("X-Tiergate-Provider", "claude")
                .header("X-Tiergate-Account", "main")
                .body("results.label", contains("OOC", "IC", "IC"))
                .body("results.engine", everyItem(equalTo("claude/claude-sonnet-4-5")))
                .body("decided_by.llm", equalTo(3));

        // Anthropic's shape: the key in x-api-key, the task's instructions as the top-level system prompt, max_tokens set.
        FakeProviders.CLAUDE.verify(3, postRequestedFor(urlEqualTo(messages))
                .withHeader("x-api-key", WireMock.equalTo("anthropic-secret"))
                .withHeader("anthropic-version", WireMock.equalTo("2023-06-01"))
                .withRequestBody(matchingJsonPath("$.system", containing("IC")))
                .withRequestBody(matchingJsonPath("$.max_tokens"))
                .withRequestBody(matchingJsonPath("$.messages[0].role", WireMock.equalTo("user"))));
        FakeProviders.POD.verify(0, postRequestedFor(urlEqualTo("/v1/classifications")));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void linesStillUndecidedAfterOneRepairAreErrorsNeverGuesses() {
        // Every answer, the repair included, decides line 0 only.
        FakeProviders.BETA.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(ProviderResponses.openAiCompletion("beta-mini",
                "{\"answers\":[{\"id\":0,\"label\":\"OOC\",\"confidence\":0.9}]}"))));

        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().log().ifValidationFails().statusCode(200)
                .body("results.label", contains("OOC", null, null))
                .body("results.tier", contains("llm", "error", "error"))
                .body("results[1].error", startsWith("The LLM gave no valid answer for this line, also after one repair prompt"))
                .body("decided_by.error", equalTo(2));

        FakeProviders.BETA.verify(4, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void whenTheCloudProviderFailsTooTheAnswerIsA503ListingEveryAttempt() {
        RouterTestSupport.fails(FakeProviders.BETA, 500);

        given().contentType(ContentType.JSON).body(CLASSIFY)
                .when().post("/v1/classifications")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .body("attempts.provider", hasItems("classifier", "beta"));
    }

    @Test
    void theLocalTierIsOnlyAskedOfPods() {
        given().contentType(ContentType.JSON).body(CLASSIFY.replace("\"task\":\"ic-ooc\"", "\"task\":\"ic-ooc\",\"tier\":\"local\""))
                .when().post("/v1/classifications")
                .then().statusCode(503);
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"task\":\"nope\",\"inputs\":[{\"text\":\"hi\"}]}                    | task",
        "{\"inputs\":[{\"text\":\"hi\"}]}                                      | labels",
        "{\"task\":\"ic-ooc\",\"inputs\":[]}                                   | inputs",
        "{\"task\":\"ic-ooc\",\"inputs\":[{\"text\":\"hi\"}],\"tier\":\"fast\"} | tier",
        "{\"task\":\"ic-ooc\",\"inputs\":\"hi\"}                               | inputs",
    })
    void badInputIsRefusedByTheRouterBeforeAnyBackendIsCalled(String body, String field) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/classifications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
        FakeProviders.POD.verify(0, postRequestedFor(urlEqualTo("/v1/classifications")));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }

    private static final String EXTRACT = """
            {"text":"Session 12 of the Vox Machina campaign, played on 3 March.","document_type":"session notes",
             "schema":{"type":"object","properties":{"campaign":{"type":"string"},"session":{"type":"integer"},
                       "location":{"type":["string","null"]}},"required":["campaign","session","location"]}}
            """;

    @Test
    void anExtractionFallsBackToACloudProviderAndFieldsNotFoundAreNull() {
        FakeProviders.BETA.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(ProviderResponses.openAiCompletion("beta-mini",
                "{\"campaign\":\"Vox Machina\",\"session\":12,\"location\":null}"))));

        given().contentType(ContentType.JSON).body(EXTRACT)
                .when().post("/v1/extractions")
                .then().log().ifValidationFails().statusCode(200)
                .header("X-Tiergate-Provider", "beta")
                .body("data.campaign", equalTo("Vox Machina"))
                .body("data.session", equalTo(12))
                .body("data.location", equalTo(null))
                .body("not_found", contains("location"))
                .body("tier", equalTo("llm"))
                .body("engine", equalTo("beta/beta-mini"))
                .body("repaired", equalTo(false));
        FakeProviders.BETA.verify(1, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void anExtractionThatStillDoesNotValidateAfterOneRepairIsA502NotAnInventedObject() {
        FakeProviders.BETA.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(ProviderResponses.openAiCompletion("beta-mini",
                "{\"campaign\":\"Vox Machina\",\"session\":\"twelve\"}"))));

        given().contentType(ContentType.JSON).body(EXTRACT)
                .when().post("/v1/extractions")
                .then().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", startsWith("The LLM's answer did not validate against the schema, also after one repair prompt"));
        FakeProviders.BETA.verify(2, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void anInvalidSchemaIsRefusedByTheRouterBeforeAnyBackendIsCalled() {
        given().contentType(ContentType.JSON).body("{\"text\":\"hi\",\"schema\":{\"type\":\"nonsense\"}}")
                .when().post("/v1/extractions")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("schema"));
        FakeProviders.POD.verify(0, postRequestedFor(urlEqualTo("/v1/extractions")));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo(CHAT)));
    }
}
