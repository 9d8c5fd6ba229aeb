package io.tiergate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for an OpenAI-compatible provider that meters tokens as the provider would: the prompt counted with the
 * model's tokenizer and OpenAI's documented chat framing (4 tokens a message, 3 priming the reply), and a completion
 * that uses all of {@code max_tokens} (or 800 tokens when none is sent). Usage is summed per API key and minute,
 * and every call that takes a key's minute past {@code limit} is counted as over the limit.
 */
final class TokenMeteringProvider implements ResponseDefinitionTransformerV2 {

    static final String NAME = "token-meter";
    /** What the model writes when nothing caps it: longer than any cap the test's callers choose. */
    static final int UNCAPPED_ANSWER_TOKENS = 800;

    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long limit;
    private final Map<String, Long> usedByKeyAndMinute = new HashMap<>();
    private int calls;
    private int overLimitCalls;
    private long overLimitTokens;

    TokenMeteringProvider(long limit) {
        this.limit = limit;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        JsonNode body;
        try {
            body = JSON.readTree(event.getRequest().getBodyAsString());
        } catch (IOException e) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(400).build();
        }
        long prompt = 3;
        for (JsonNode message : body.path("messages")) {
            prompt += 4 + CL100K.countTokensOrdinary(message.path("content").asText(""));
        }
        long completion = body.hasNonNull("max_tokens") ? body.get("max_tokens").asLong() : UNCAPPED_ANSWER_TOKENS;
        meter(event.getRequest().getHeader("Authorization"), prompt + completion);
        ObjectNode answer = JSON.createObjectNode()
                .put("id", "chatcmpl-" + event.getId())
                .put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000)
                .put("model", body.path("model").asText("m"));
        answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "length")
                .putObject("message").put("role", "assistant").put("content", "words ".repeat((int) Math.min(completion, 2000)));
        answer.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        return ResponseDefinitionBuilder.like(event.getResponseDefinition())
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(answer.toString())
                .build();
    }

    private synchronized void meter(String key, long tokens) {
        calls++;
        String window = key + "@" + System.currentTimeMillis() / 60_000;
        long used = usedByKeyAndMinute.merge(window, tokens, Long::sum);
        if (used > limit) {
            overLimitCalls++;
            overLimitTokens += Math.min(tokens, used - limit);
        }
    }

    synchronized int calls() {
        return calls;
    }

    synchronized int overLimitCalls() {
        return overLimitCalls;
    }

    synchronized long overLimitTokens() {
        return overLimitTokens;
    }

    /** Tokens used per API key in the minute that started at {@code minute} (epoch minutes). */
    synchronized long used(String key, long minute) {
        return usedByKeyAndMinute.getOrDefault(key + "@" + minute, 0L);
    }
}
