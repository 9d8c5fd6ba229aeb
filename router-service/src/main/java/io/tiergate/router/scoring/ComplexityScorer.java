package io.tiergate.router.scoring;

import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.config.Tier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Turns a request's weighted features into a 0–10 score and a tier. Each capability says which features it has
 * ({@link io.tiergate.router.pipeline.RoutedCapability#features}); the sum of their contributions, capped at 10, is
 * the score, and the configured thresholds pick the tier.
 */
@ApplicationScoped
public class ComplexityScorer {

    private static final double MAX_SCORE = 10;

    private final RouterConfig.Scoring config;

    public ComplexityScorer(RouterConfig config) {
        this.config = config.scoring();
    }

    public ComplexityScore score(List<FeatureContribution> features) {
        double sum = 0;
        for (FeatureContribution feature : features) {
            sum += feature.contribution();
        }
        double score = FeatureContribution.round(Math.min(MAX_SCORE, sum));
        return new ComplexityScore(score, tierOf(score), features);
    }

    private Tier tierOf(double score) {
        if (score >= config.complexThreshold()) {
            return Tier.COMPLEX;
        }
        return score >= config.mediumThreshold() ? Tier.MEDIUM : Tier.SIMPLE;
    }

    /** Logarithmic, so the difference between 100 and 1,000 matters more than between 3,000 and 4,000. */
    public static double saturating(long value, int saturation) {
        return value <= 0 ? 0 : Math.log1p(value) / Math.log1p(saturation);
    }
}
