package io.tiergate.router.scoring;

import java.util.List;

/** Phrases that ask a model to reason rather than recall: each one found raises a request's complexity. */
public final class ReasoningCues {

    private static final List<String> CUES = List.of(
            "step by step", "explain why", "analyze", "analyse", "compare", "trade-off", "tradeoff", "justify",
            "prove", "derive", "evaluate", "pros and cons", "think carefully", "reason about", "root cause",
            "design a", "plan a", "critique");

    private ReasoningCues() {}

    /** How many different cues {@code lowerText} (already lower-cased) contains. */
    public static int count(String lowerText) {
        int hits = 0;
        for (String cue : CUES) {
            if (lowerText.contains(cue)) {
                hits++;
            }
        }
        return hits;
    }
}
