package io.tiergate.router.routing;

import io.tiergate.router.config.Tier;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import java.util.List;
import java.util.Optional;

/**
 * A provider the dispatcher may try, in plan order, with the accounts (backends) it may use for this
 * request and the tier it serves the request at. Which account serves is decided per attempt: by quota
 * headroom when the provider has limits, otherwise in configuration order.
 */
public record Candidate(Provider provider, List<Backend> backends, Tier tier, Optional<String> model, double estimatedCost) {

    public Candidate {
        backends = List.copyOf(backends);
    }
}
