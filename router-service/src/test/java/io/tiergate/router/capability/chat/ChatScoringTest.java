package io.tiergate.router.capability.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.tiergate.router.config.Tier;
import io.tiergate.router.scoring.ComplexityScore;
import io.tiergate.router.scoring.ComplexityScorer;
import io.tiergate.router.scoring.FeatureContribution;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@QuarkusTest
/** A chat request's complexity features and the score and tier they add up to. */
class ChatScoringTest {

    @Inject
    ComplexityScorer scorer;

    @Inject
    ChatCapability chat;

    @Inject
    ObjectMapper mapper;

    private ComplexityScore score(String json) {
        return scorer.score(chat.features(ChatRequest.parse(mapper, json.getBytes(StandardCharsets.UTF_8))));
    }

    private static double contribution(ComplexityScore score, String feature) {
        return score.features().stream().filter(f -> f.name().equals(feature)).findFirst().orElseThrow().contribution();
    }

    @Test
    void aShortGreetingIsSimple() {
        ComplexityScore score = score("{\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"}]}");
        assertThat(score.tier()).isEqualTo(Tier.SIMPLE);
        assertThat(score.score()).isLessThan(1.5);
    }

    @Test
    void reasoningCuesCodeAndMathEachAddTheirWeight() {
        ComplexityScore plain = score("{\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about rivers.\"}]}");
        ComplexityScore reasoning = score("{\"messages\":[{\"role\":\"user\",\"content\":\"Compare rivers and lakes, explain why, step by step.\"}]}");
        ComplexityScore code = score("{\"messages\":[{\"role\":\"user\",\"content\":\"Fix this:\\n```\\nint x = f(1);\\n```\"}]}");
        ComplexityScore math = score("{\"messages\":[{\"role\":\"user\",\"content\":\"What is the derivative of x^2?\"}]}");
        assertThat(contribution(plain, "reasoning_cues")).isZero();
        assertThat(contribution(reasoning, "reasoning_cues")).isEqualTo(2.5);
        assertThat(contribution(code, "code")).isEqualTo(1.5);
        assertThat(contribution(math, "math")).isEqualTo(1.5);
        assertThat(reasoning.score()).isGreaterThan(plain.score());
    }

    @Test
    void structuredOutputLongPromptsAndLargeOutputsMakeARequestComplex() {
        String longText = "Analyse the quarterly figures and compare them with last year. ".repeat(300);
        ComplexityScore score = score("{\"max_tokens\":4000,\"response_format\":{\"type\":\"json_object\"},"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You are an analyst.\"},{\"role\":\"user\",\"content\":\""
                + longText + " Justify each trade-off step by step.\"}]}");
        assertThat(score.tier()).isEqualTo(Tier.COMPLEX);
        assertThat(contribution(score, "structured_output")).isEqualTo(1.0);
        assertThat(contribution(score, "output_tokens")).isEqualTo(1.5);
        assertThat(score.score()).isLessThanOrEqualTo(10);
    }

    @Test
    void theSumOfContributionsIsTheScore() {
        ComplexityScore score = score("{\"max_tokens\":800,\"messages\":[{\"role\":\"user\",\"content\":\"Derive the formula step by step\"}]}");
        double sum = score.features().stream().mapToDouble(FeatureContribution::contribution).sum();
        assertThat(score.score()).isCloseTo(sum, org.assertj.core.data.Offset.offset(0.011));
    }
}
