package io.tiergate.classification.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tiergate.classification.FakeLlm;
import io.tiergate.classification.ModelReady;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Classification through the real ONNX model, with a WireMock OpenAI-compatible server as the LLM tier. */
@QuarkusTest
@QuarkusTestResource(FakeLlm.class)
class ClassificationApiTest {

    static final List<Map<String, Object>> LABELS = List.of(
            Map.of("name", "weather", "description", "Talk about the weather: rain, sun, wind, snow, temperature."),
            Map.of("name", "food", "description", "Talk about food, cooking, meals and eating."));
    static final List<Map<String, Object>> EXAMPLES = List.of(
            Map.of("text", "It is pouring rain outside.", "label", "weather"),
            Map.of("text", "The forecast says snow tomorrow.", "label", "weather"),
            Map.of("text", "What a hot and sunny afternoon.", "label", "weather"),
            Map.of("text", "I baked a loaf of bread this morning.", "label", "food"),
            Map.of("text", "This soup needs more salt.", "label", "food"),
            Map.of("text", "Let's order pizza for dinner.", "label", "food"));

    @BeforeEach
    void resetLlm() {
        ModelReady.await();
        FakeLlm.SERVER.resetAll();
    }

    static Map<String, Object> request(List<String> lines, Object... extra) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("labels", LABELS);
        body.put("examples", EXAMPLES);
        body.put("inputs", lines.stream().map(line -> Map.of("text", line)).toList());
        for (int i = 0; i < extra.length; i += 2) {
            body.put((String) extra[i], extra[i + 1]);
        }
        return body;
    }

    static ValidatableResponse classify(Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/v1/classifications").then();
    }

    @Test
    void localTierClassifiesClearLinesWithoutTheLlm() {
        classify(request(List.of("A cold wind is blowing and it might hail.", "We grilled fish and vegetables for lunch."),
                "tier", "local"))
                .statusCode(200)
                .body("task", equalTo("custom"))
                .body("results.label", equalTo(List.of("weather", "food")))
                .body("results.tier", everyItem(equalTo("local")))
                .body("results.engine", everyItem(equalTo("all-minilm-l6-v2-q")))
                .body("results.index", equalTo(List.of(0, 1)))
                .body("decided_by.local", equalTo(2))
                .body("decided_by.llm", equalTo(0))
                .body("cascade.tier", equalTo("local"))
                .body("cascade.escalated", equalTo(0));
        List<Float> confidences = classify(request(List.of("Thunderstorms all night long."), "tier", "local"))
                .extract().path("results.confidence");
        assertThat(confidences.get(0)).isBetween(0.5f, 1.0f);
        FakeLlm.SERVER.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void thousandLinesInOneRequest() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            lines.add(i % 2 == 0 ? "Line " + i + ": the rain keeps falling on the roof." : "Line " + i + ": the cake came out of the oven golden.");
        }
        ValidatableResponse response = classify(request(lines, "tier", "local")).statusCode(200)
                .body("results", hasSize(1000))
                .body("decided_by.local", equalTo(1000));
        List<String> labels = response.extract().path("results.label");
        long right = 0;
        for (int i = 0; i < labels.size(); i++) {
            right += labels.get(i).equals(i % 2 == 0 ? "weather" : "food") ? 1 : 0;
        }
        assertThat(right).isGreaterThanOrEqualTo(950);
    }

    @Test
    void unsureLinesEscalateToTheLlmTier() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(FakeLlm.everyLineGets("food")));
        // A threshold of 1 makes every line unsure, and 0 makes none.
        classify(request(List.of("Sunny skies.", "Fresh pasta.", "Windy."), "escalation_threshold", 1.0))
                .statusCode(200)
                .body("results.tier", everyItem(equalTo("llm")))
                .body("results.engine", everyItem(equalTo(FakeLlm.MODEL)))
                .body("results.label", everyItem(equalTo("food")))
                .body("results.confidence", everyItem(equalTo(0.9f)))
                .body("decided_by.llm", equalTo(3))
                .body("cascade.escalated", equalTo(3))
                .body("cascade.llm_available", equalTo(true));
        FakeLlm.SERVER.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        classify(request(List.of("Sunny skies."), "escalation_threshold", 0.0))
                .statusCode(200)
                .body("decided_by.local", equalTo(1))
                .body("cascade.escalated", equalTo(0));
        FakeLlm.SERVER.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void llmTierBatchesManyLinesPerCall() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(FakeLlm.everyLineGets("weather")));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add("Line number " + i);
        }
        classify(request(lines, "tier", "llm"))
                .statusCode(200)
                .body("results", hasSize(60))
                .body("decided_by.llm", equalTo(60))
                .body("results.label", everyItem(equalTo("weather")));
        // 60 lines at 25 per call.
        FakeLlm.SERVER.verify(3, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        LoggedRequest first = FakeLlm.SERVER.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0);
        assertThat(io.restassured.path.json.JsonPath.from(first.getBodyAsString()).getString("model")).isEqualTo(FakeLlm.MODEL);
        assertThat(FakeLlm.lastMessage(first.getBodyAsString())).contains("Labelled examples", "It is pouring rain outside.");
    }

    @Test
    void malformedAnswerIsRepairedOnce() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().inScenario("repair").whenScenarioStateIs(STARTED)
                .willReturn(FakeLlm.completion("Sure! The first line is about weather and the second about food."))
                .willSetStateTo("asked again"));
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().inScenario("repair").whenScenarioStateIs("asked again")
                .willReturn(FakeLlm.completion("```json\n{\"answers\":[{\"id\":0,\"label\":\"weather\",\"confidence\":0.8},"
                        + "{\"id\":1,\"label\":\"FOOD\",\"confidence\":0.7}]}\n```")));
        classify(request(List.of("Hail.", "Bread."), "tier", "llm"))
                .statusCode(200)
                .body("results.label", equalTo(List.of("weather", "food")))
                .body("results.tier", everyItem(equalTo("llm")))
                .body("decided_by.error", equalTo(0));
        List<LoggedRequest> calls = FakeLlm.SERVER.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(calls).hasSize(2);
        String repair = FakeLlm.lastMessage(calls.get(1).getBodyAsString());
        assertThat(repair).contains("could not be used", "not a JSON object", "for exactly these line ids: 0, 1");
    }

    @Test
    void partialAnswerRepairsOnlyTheMissingLinesThenReportsErrors() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().inScenario("partial").whenScenarioStateIs(STARTED)
                .willReturn(FakeLlm.completion("{\"answers\":[{\"id\":0,\"label\":\"weather\",\"confidence\":0.95},"
                        + "{\"id\":1,\"label\":\"drinks\",\"confidence\":0.9}]}"))
                .willSetStateTo("asked again"));
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().inScenario("partial").whenScenarioStateIs("asked again")
                .willReturn(FakeLlm.completion("{\"answers\":[{\"id\":1,\"label\":\"food\",\"confidence\":0.6}]}")));
        classify(request(List.of("Fog.", "Tea and biscuits.", "Something else entirely."), "tier", "llm"))
                .statusCode(200)
                .body("results[0].label", equalTo("weather"))
                .body("results[1].label", equalTo("food"))
                .body("results[2].label", nullValue())
                .body("results[2].tier", equalTo("error"))
                .body("results[2].confidence", nullValue())
                .body("results[2].error", org.hamcrest.Matchers.containsString("no answer"))
                .body("decided_by.llm", equalTo(2))
                .body("decided_by.error", equalTo(1));
        List<LoggedRequest> calls = FakeLlm.SERVER.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(calls).hasSize(2);
        String repair = FakeLlm.lastMessage(calls.get(1).getBodyAsString());
        assertThat(repair).contains("line 1: label \"drinks\" is not one of [weather, food]", "line 2: no answer",
                "for exactly these line ids: 1, 2");
    }

    @Test
    void llmServerFailureBecomesLineErrorsNotA500() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(WireMock.aResponse().withStatus(500).withBody("{\"error\":\"boom\"}")));
        classify(request(List.of("Drizzle.", "Noodles."), "tier", "llm"))
                .statusCode(200)
                .body("results.tier", everyItem(equalTo("error")))
                .body("decided_by.error", equalTo(2));
    }

    @Test
    void builtInIcOocTask() {
        FakeLlm.SERVER.stubFor(FakeLlm.chatCompletions().willReturn(FakeLlm.everyLineGets("IC")));
        Map<String, Object> body = Map.of("task", "ic-ooc", "tier", "local", "inputs", List.of(
                Map.of("speaker", "MATT", "text", "Roll initiative, everybody."),
                Map.of("speaker", "MATT", "text", "The dragon unfurls its wings and the cavern shakes as it roars.")));
        classify(body).statusCode(200)
                .body("task", equalTo("ic-ooc"))
                .body("results.label", equalTo(List.of("OOC", "IC")));
        // As the session pipeline sends a transcript: diarization labels, the game master's role, both neighbouring turns.
        Map<String, Object> diarized = Map.of("task", "ic-ooc", "tier", "local", "inputs", List.of(
                Map.of("speaker", "SPEAKER_00", "role", "GM", "text", "Make a perception check.",
                        "context", "SPEAKER_01: I search the room.", "context_after", "SPEAKER_01: 17."),
                Map.of("speaker", "SPEAKER_00", "role", "GM", "text", "You notice a thin seam in the wall behind the tapestry.",
                        "context", "SPEAKER_01: 17.", "context_after", "SPEAKER_01: I pull the tapestry aside.")));
        classify(diarized).statusCode(200).body("results.label", equalTo(List.of("OOC", "IC")));
        Map<String, Object> escalated = Map.of("task", "ic-ooc", "escalation_threshold", 1.0, "inputs", List.of(
                Map.of("speaker", "LAURA", "text", "Okay.", "context", "MATT: The priestess asks if you will help her.",
                        "context_after", "MATT: She smiles and hands you the key.")));
        classify(escalated).statusCode(200).body("results[0].label", equalTo("IC")).body("results[0].tier", equalTo("llm"));
        String prompt = FakeLlm.SERVER.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getBodyAsString();
        assertThat(prompt).contains("In character", "tabletop role-playing game", "The priestess asks if you will help her",
                "context_after", "She smiles and hands you the key");
    }

    @Test
    void readinessAndMetrics() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'classification-model' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'classification-model' }.data.'llm-tier'", equalTo(FakeLlm.MODEL));
        classify(request(List.of("Sleet."), "tier", "local")).statusCode(200);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("tiergate_classification_lines_total{tier=\"local\"}");
    }
}
