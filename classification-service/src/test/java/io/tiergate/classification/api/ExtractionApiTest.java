package io.tiergate.classification.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tiergate.classification.FakeLlm;
import io.tiergate.classification.ModelReady;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Extraction through a WireMock OpenAI-compatible LLM: answers validated against the caller's schema, repaired once. */
@QuarkusTest
@QuarkusTestResource(FakeLlm.class)
class ExtractionApiTest {

    static final Map<String, Object> SCHEMA = Map.of(
            "type", "object",
            "required", List.of("invoice_number", "total", "due_date"),
            "properties", Map.of(
                    "invoice_number", Map.of("type", "string"),
                    "total", Map.of("type", "number", "minimum", 0),
                    "due_date", Map.of("type", "string", "format", "date")));
    static final String TEXT = "Invoice INV-2041 from Acme Ltd. Amount due: 1250.50 EUR.";

    @BeforeEach
    void reset() {
        ModelReady.await();
        FakeLlm.SERVER.resetAll();
    }

    static ValidatableResponse extract() {
        return given().contentType(ContentType.JSON).body(Map.of("text", TEXT, "schema", SCHEMA, "document_type", "invoice"))
                .when().post("/v1/extractions").then();
    }

    @Test
    void fieldsNotInTheTextAreNull() {
        // The model leaves due_date out entirely: it becomes null, never a guess.
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(FakeLlm.completion("{\"invoice_number\":\"INV-2041\",\"total\":1250.5}")));
        extract().statusCode(200)
                .body("data.invoice_number", equalTo("INV-2041"))
                .body("data.total", equalTo(1250.5f))
                .body("data.due_date", nullValue())
                .body("data.containsKey('due_date')", equalTo(true))
                .body("not_found", equalTo(List.of("due_date")))
                .body("engine", equalTo(FakeLlm.MODEL))
                .body("repaired", equalTo(false));
        String prompt = FakeLlm.SERVER.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getBodyAsString();
        assertThat(prompt).contains("Document type: invoice", "INV-2041", "use null");
    }

    @Test
    void invalidAnswerIsRepairedOnce() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().inScenario("x").whenScenarioStateIs(STARTED)
                .willReturn(FakeLlm.completion("{\"invoice_number\":\"INV-2041\",\"total\":\"about a thousand\",\"due_date\":null}"))
                .willSetStateTo("repair"));
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().inScenario("x").whenScenarioStateIs("repair")
                .willReturn(FakeLlm.completion("Here it is:\n```json\n{\"invoice_number\":\"INV-2041\",\"total\":1250.5,\"due_date\":null}\n```")));
        extract().statusCode(200).body("data.total", equalTo(1250.5f)).body("repaired", equalTo(true));
        List<LoggedRequest> calls = FakeLlm.SERVER.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(calls).hasSize(2);
        assertThat(FakeLlm.lastMessage(calls.get(1).getBodyAsString())).contains("could not be used", "total");
    }

    @Test
    void stillInvalidAfterRepairIsA502Problem() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(FakeLlm.completion("I could not find an invoice.")));
        extract().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", containsString("also after one repair prompt"));
        FakeLlm.SERVER.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void unreachableLlmIsA502Problem() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        extract().statusCode(502).contentType("application/problem+json").body("type", containsString("llm-tier-failed"));
    }
}
