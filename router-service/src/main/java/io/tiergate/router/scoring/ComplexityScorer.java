package io.tiergate.router.scoring;

import io.tiergate.router.api.ChatRequest;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.routing.Tier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/**
 * Scores a chat request 0–10 from features a person can check: prompt size, requested output,
 * conversation depth, code, math, structured output and reasoning cues. Each feature's signal
 * in [0,1] is multiplied by its configured weight; the sum, capped at 10, picks the tier.
 */
@ApplicationScoped
public class ComplexityScorer {

    /** Text beyond this many characters is not searched for cues; its size still counts. */
    private static final int CUE_SCAN_LIMIT = 20_000;
    private static final double MAX_SCORE = 10;

    private static final List<String> REASONING_CUES = List.of(
            "step by step", "explain why", "analyze", "analyse", "compare", "trade-off", "tradeoff", "justify",
            "prove", "derive", "evaluate", "pros and cons", "think carefully", "reason about", "root cause",
            "design a", "plan a", "critique");

    private final RouterConfig.Scoring config;

    public ComplexityScorer(RouterConfig config) {
        this.config = config.scoring();
    }

    public ComplexityScore score(ChatRequest request) {
        RouterConfig.Scoring.Weights weights = config.weights();
        String text = request.text();
        String cueText = (text.length() > CUE_SCAN_LIMIT ? text.substring(0, CUE_SCAN_LIMIT) : text).toLowerCase(Locale.ROOT);

        long promptTokens = request.estimatedPromptTokens();
        long outputTokens = request.maxTokens().orElse(0);
        int depth = request.messageCount();
        TextCues textCues = TextCues.scan(cueText);
        boolean code = textCues.code();
        boolean math = textCues.math();
        boolean structured = request.wantsStructuredOutput();
        int cues = countCues(cueText);

        List<FeatureContribution> features = List.of(
                FeatureContribution.of("prompt_tokens", promptTokens,
                        saturating(promptTokens, config.promptTokensSaturation()), weights.promptTokens()),
                FeatureContribution.of("output_tokens", outputTokens,
                        (double) outputTokens / config.outputTokensSaturation(), weights.outputTokens()),
                FeatureContribution.of("conversation_depth", depth,
                        (double) (depth - 1) / config.depthSaturation(), weights.conversationDepth()),
                FeatureContribution.of("code", code ? 1 : 0, code ? 1 : 0, weights.code()),
                FeatureContribution.of("math", math ? 1 : 0, math ? 1 : 0, weights.math()),
                FeatureContribution.of("structured_output", structured ? 1 : 0, structured ? 1 : 0, weights.structuredOutput()),
                FeatureContribution.of("reasoning_cues", cues, cues / 3.0, weights.reasoning()));

        double sum = 0;
        for (FeatureContribution feature : features) {
            sum += feature.contribution();
        }
        double score = FeatureContribution.round(Math.min(MAX_SCORE, sum));
        return new ComplexityScore(score, tierOf(score), promptTokens, outputTokens, features);
    }

    public Tier tierOf(double score) {
        if (score >= config.complexThreshold()) {
            return Tier.COMPLEX;
        }
        return score >= config.mediumThreshold() ? Tier.MEDIUM : Tier.SIMPLE;
    }

    /** Logarithmic, so the difference between 100 and 1,000 tokens matters more than between 3,000 and 4,000. */
    private static double saturating(long value, int saturation) {
        return value <= 0 ? 0 : Math.log1p(value) / Math.log1p(saturation);
    }

    static int countCues(String lowerText) {
        int hits = 0;
        for (String cue : REASONING_CUES) {
            if (lowerText.contains(cue)) {
                hits++;
            }
        }
        return hits;
    }
}
