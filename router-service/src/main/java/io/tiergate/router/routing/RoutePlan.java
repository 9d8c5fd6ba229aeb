package io.tiergate.router.routing;

import io.tiergate.router.config.Tier;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ordered backends to try for one request, the ones left out with their reasons, and when the
 * first backend left out for an open circuit breaker lets a probe through again.
 */
public record RoutePlan(Tier tier, List<Candidate> candidates, List<Exclusion> excluded, Optional<Instant> earliestReopen) {}
