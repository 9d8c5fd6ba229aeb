package io.tiergate.router.routing;

import java.util.List;

/** The ordered backends to try for one request, and the ones left out with their reasons. */
public record RoutePlan(Tier tier, List<Candidate> candidates, List<Exclusion> excluded) {}
