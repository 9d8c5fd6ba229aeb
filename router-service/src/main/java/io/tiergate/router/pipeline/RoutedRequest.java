package io.tiergate.router.pipeline;

import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.scoring.ComplexityScore;

/** A request that has been read, sized, scored and planned, ready to be served, explained or costed. */
public record RoutedRequest<R>(RoutedCapability<R> capability, R request, UsageEstimate estimate, ComplexityScore score,
        RoutePlan plan, RoutingHeaders headers) {}
