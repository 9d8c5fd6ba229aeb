package io.tiergate.router.pipeline;

import io.tiergate.router.config.Tier;
import java.util.List;

/** The estimated cost of one request on each eligible provider, cheapest first. */
public record CostComparison(String capability, long estimatedInputTokens, long estimatedOutputTokens, long estimatedAudioSeconds,
        List<Entry> providers) {

    public record Entry(String provider, Tier tier, String model, boolean paid, double estimatedCostUsd) {}
}
