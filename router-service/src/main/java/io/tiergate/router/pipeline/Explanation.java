package io.tiergate.router.pipeline;

import io.tiergate.router.routing.Exclusion;
import io.tiergate.router.config.Tier;
import io.tiergate.router.scoring.FeatureContribution;
import java.util.List;

/** Why a request would go where it would go: its score, its tier, its expected usage and the ordered backends. */
public record Explanation(String capability, double score, Tier scoredTier, Tier tier, String forcedProvider, boolean localOnly,
        UsageEstimate estimatedUsage, List<FeatureContribution> features, List<PlannedBackend> candidates,
        List<Exclusion> excluded) {

    /**
     * One candidate provider in dispatch order with the accounts it may use: by most quota headroom when
     * {@code quotaBalanced}, otherwise in the order listed.
     */
    public record PlannedBackend(int rank, String provider, List<String> accounts, boolean quotaBalanced, Tier tier, String model,
            double estimatedCostUsd) {}
}
