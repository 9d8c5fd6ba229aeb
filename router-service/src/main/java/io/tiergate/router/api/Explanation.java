package io.tiergate.router.api;

import io.tiergate.router.routing.Exclusion;
import io.tiergate.router.routing.Tier;
import io.tiergate.router.scoring.FeatureContribution;
import java.util.List;

/** Why a request would go where it would go: its score, its tier and the ordered backends. */
public record Explanation(double score, Tier scoredTier, Tier tier, String forcedProvider, boolean localOnly,
        List<FeatureContribution> features, List<PlannedBackend> candidates, List<Exclusion> excluded) {

    /** One candidate in dispatch order. */
    public record PlannedBackend(int rank, String provider, String account, Tier tier, String model, double estimatedCostUsd) {}
}
