package io.tiergate.router.routing;

import io.tiergate.router.providers.Capability;
import java.util.Optional;

/** What the planner needs to know about a request: the work, its size and the caller's constraints. */
public record RouteRequest(Capability capability, Tier scoredTier, long inputTokens, long outputTokens,
        Optional<Tier> forcedTier, Optional<String> forcedProvider, boolean localOnly) {

    public Tier startTier() {
        return forcedTier.orElse(scoredTier);
    }
}
