package io.tiergate.router.routing;

import io.tiergate.router.providers.Backend;
import java.util.Optional;

/** A backend the dispatcher may try, in plan order, with the tier it serves this request at. */
public record Candidate(Backend backend, Tier tier, Optional<String> model, double estimatedCost) {}
