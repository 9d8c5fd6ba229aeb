package io.tiergate.router.capability.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.JsonBodies;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.UsageEstimate;
import io.tiergate.router.config.Capability;
import io.tiergate.router.scoring.ComplexityScorer;
import io.tiergate.router.scoring.FeatureContribution;
import io.tiergate.router.scoring.ReasoningCues;
import io.tiergate.router.scoring.TextCues;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible. Scored from features a person can check: prompt size,
 * requested output, conversation depth, code, math, structured output and reasoning cues.
 */
@ApplicationScoped
public class ChatCapability implements RoutedCapability<ChatRequest> {

    public static final String NAME = "chat";

    /** Text beyond this many characters is not searched for cues; its size still counts. */
    private static final int CUE_SCAN_LIMIT = 20_000;
    /** The least output per choice that still makes a call worth sending when an account's room is short. */
    private static final long FEWEST_OUTPUT_TOKENS = 16;

    private final ObjectMapper mapper;
    private final RouterConfig.Scoring scoring;

    public ChatCapability(ObjectMapper mapper, RouterConfig config) {
        this.mapper = mapper;
        this.scoring = config.scoring();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/chat/completions";
    }

    @Override
    public Capability requires() {
        return Capability.CHAT;
    }

    @Override
    public ChatRequest parse(RequestBody body) {
        return ChatRequest.of(JsonBodies.object(mapper, body));
    }

    @Override
    public UsageEstimate estimate(ChatRequest chat) {
        return estimateOf(chat);
    }

    /** The one estimate of a chat request, also for chat calls the router makes itself: its prompt and every choice's output. */
    public static UsageEstimate estimateOf(ChatRequest chat) {
        long prompt = chat.promptTokens();
        long perChoice = UsageEstimate.expectedOutput(chat.maxTokens().orElse(0));
        return new UsageEstimate(prompt, chat.choices() * perChoice, 0, chat.choices() * Math.min(perChoice, FEWEST_OUTPUT_TOKENS));
    }

    @Override
    public Optional<String> requestedModel(ChatRequest chat) {
        return chat.model();
    }

    @Override
    public List<FeatureContribution> features(ChatRequest chat) {
        RouterConfig.Scoring.Weights weights = scoring.weights();
        String text = chat.text();
        String cueText = (text.length() > CUE_SCAN_LIMIT ? text.substring(0, CUE_SCAN_LIMIT) : text).toLowerCase(Locale.ROOT);
        long promptTokens = chat.promptTokens();
        long outputTokens = chat.maxTokens().orElse(0);
        int depth = chat.messageCount();
        TextCues textCues = TextCues.scan(cueText);
        boolean structured = chat.wantsStructuredOutput();
        int cues = ReasoningCues.count(cueText);
        return List.of(
                FeatureContribution.of("prompt_tokens", promptTokens,
                        ComplexityScorer.saturating(promptTokens, scoring.promptTokensSaturation()), weights.promptTokens()),
                FeatureContribution.of("output_tokens", outputTokens,
                        (double) outputTokens / scoring.outputTokensSaturation(), weights.outputTokens()),
                FeatureContribution.of("conversation_depth", depth,
                        (double) (depth - 1) / scoring.depthSaturation(), weights.conversationDepth()),
                FeatureContribution.of("code", textCues.code() ? 1 : 0, textCues.code() ? 1 : 0, weights.code()),
                FeatureContribution.of("math", textCues.math() ? 1 : 0, textCues.math() ? 1 : 0, weights.math()),
                FeatureContribution.of("structured_output", structured ? 1 : 0, structured ? 1 : 0, weights.structuredOutput()),
                FeatureContribution.of("reasoning_cues", cues, cues / 3.0, weights.reasoning()));
    }
}
