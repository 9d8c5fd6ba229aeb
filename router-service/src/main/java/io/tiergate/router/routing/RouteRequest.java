package io.tiergate.router.routing;

import io.tiergate.router.config.Tier;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import java.util.Optional;
import java.util.Set;

/**
 * What the planner needs to know about a request: the work and the protocols that can do it, its expected size in
 * tokens (output already the expected size, not the cap) and audio seconds, and the caller's constraints.
 *
 * @param forcedModel a provider's model the caller named: only providers configured with it are candidates
 */
public record RouteRequest(Capability capability, Set<Protocol> protocols, Tier scoredTier, long inputTokens, long outputTokens,
        long audioSeconds,
        Optional<Tier> forcedTier, Optional<String> forcedProvider, Optional<String> forcedModel, boolean localOnly) {

    public Tier startTier() {
        return forcedTier.orElse(scoredTier);
    }
}
