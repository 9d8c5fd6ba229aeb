package io.tiergate.classification;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WireMock server standing in for the LLM tier's OpenAI-compatible engine ({@code POST /v1/chat/completions}).
 * Stubs either return fixed assistant text, or use the {@code answer-every-line} transformer, which reads the
 * line ids out of the classification prompt and answers each with the label given as a parameter.
 */
public class FakeLlm implements QuarkusTestResourceLifecycleManager {

    public static final String MODEL = "fake-llm-7b";
    public static final WireMockServer SERVER = new WireMockServer(wireMockConfig().dynamicPort().extensions(new AnswerEveryLine()));
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Map<String, String> start() {
        if (!SERVER.isRunning()) {
            SERVER.start();
        }
        return Map.of(
                "tiergate.classification.llm.enabled", "true",
                "tiergate.classification.llm.base-url", SERVER.baseUrl() + "/v1",
                "tiergate.classification.llm.model", MODEL,
                "tiergate.classification.llm.batch-size", "25");
    }

    @Override
    public void stop() {
        SERVER.stop();
    }

    public static MappingBuilder chatCompletions() {
        return post(urlEqualTo("/v1/chat/completions"));
    }

    /** An OpenAI chat completion whose assistant message is {@code content}. */
    public static ResponseDefinitionBuilder completion(String content) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(completionBody(content));
    }

    public static ResponseDefinitionBuilder everyLineGets(String label) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withTransformers(AnswerEveryLine.NAME).withTransformerParameter("label", label);
    }

    static String completionBody(String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1_700_000_000L).put("model", MODEL);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return body.toString();
    }

    /** The text of the last message of a recorded chat request. */
    public static String lastMessage(String requestBody) {
        try {
            JsonNode messages = JSON.readTree(requestBody).get("messages");
            return messages.get(messages.size() - 1).get("content").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class AnswerEveryLine implements ResponseTransformerV2 {

        static final String NAME = "answer-every-line";
        private static final Pattern LINE_ID = Pattern.compile("^\\{\"id\":(\\d+),", Pattern.MULTILINE);

        @Override
        public Response transform(Response response, ServeEvent serveEvent) {
            String label = serveEvent.getTransformerParameters().getString("label");
            Matcher ids = LINE_ID.matcher(lastMessage(serveEvent.getRequest().getBodyAsString()));
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode answers = answer.putArray("answers");
            while (ids.find()) {
                answers.addObject().put("id", Integer.parseInt(ids.group(1))).put("label", label).put("confidence", 0.9);
            }
            return Response.Builder.like(response).but().body(completionBody(answer.toString())).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
