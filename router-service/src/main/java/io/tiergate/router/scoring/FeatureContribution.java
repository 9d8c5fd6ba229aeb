package io.tiergate.router.scoring;

/**
 * One explainable input to the complexity score: the raw measurement, its signal in [0,1],
 * the configured weight and what it added to the score.
 */
public record FeatureContribution(String name, double value, double signal, double weight, double contribution) {

    public static FeatureContribution of(String name, double value, double signal, double weight) {
        double clamped = Math.max(0, Math.min(1, signal));
        return new FeatureContribution(name, value, round(clamped), weight, round(clamped * weight));
    }

    public static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
