package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The decision for one input, in input order. {@code tier} is {@code local}, {@code llm} or {@code error};
 * {@code engine} names the model that decided. An error result has no label and says why in {@code error}.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationResult(int index, String label, Double confidence, String tier, String engine, String error) {

    public static final String TIER_LOCAL = "local";
    public static final String TIER_LLM = "llm";
    public static final String TIER_ERROR = "error";

    public static ClassificationResult decided(int index, String label, double confidence, String tier, String engine) {
        return new ClassificationResult(index, label, confidence, tier, engine, null);
    }

    public static ClassificationResult failed(int index, String engine, String error) {
        return new ClassificationResult(index, null, null, TIER_ERROR, engine, error);
    }
}
