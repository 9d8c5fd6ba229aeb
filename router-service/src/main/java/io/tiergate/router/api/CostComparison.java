package io.tiergate.router.api;

import io.tiergate.router.routing.Tier;
import java.util.List;

/** The estimated cost of one request on each eligible provider, cheapest first. */
public record CostComparison(long estimatedInputTokens, long estimatedOutputTokens, List<Entry> providers) {

    public record Entry(String provider, Tier tier, String model, boolean paid, double estimatedCostUsd) {}
}
