package io.tiergate.router.routing;

import io.tiergate.router.config.Tier;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.providers.Provider;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the planner needs to know about a request: the work and the protocols that can do it, its expected size in
 * tokens (output already the expected size, not the cap) and audio seconds, and the caller's constraints.
 *
 * @param forcedModel a provider's model the caller named: only providers configured with it are candidates
 * @param unsuitable  why a provider cannot serve this request in particular (a file over its size limit, an answer
 *                    its protocol cannot give), when it cannot
 */
public record RouteRequest(Capability capability, Set<Protocol> protocols, Tier scoredTier, long inputTokens, long outputTokens,
        long audioSeconds,
        Optional<Tier> forcedTier, Optional<String> forcedProvider, Optional<String> forcedModel, boolean localOnly,
        Function<Provider, Optional<String>> unsuitable) {

    public Tier startTier() {
        return forcedTier.orElse(scoredTier);
    }
}
