package io.tiergate.router.scoring;

import io.tiergate.router.config.Tier;
import java.util.List;

/** A request's complexity on a 0–10 scale, the tier it maps to and why. */
public record ComplexityScore(double score, Tier tier, List<FeatureContribution> features) {}
