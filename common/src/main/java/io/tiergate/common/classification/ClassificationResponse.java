package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * Answer of {@code POST /v1/classifications}: one result per input in input order, how many lines each
 * tier decided ({@code local}, {@code llm}, {@code error}), and what the confidence cascade did.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationResponse(String task, List<ClassificationResult> results, Map<String, Integer> decidedBy, Cascade cascade) {

    /**
     * {@code escalated} lines were under {@code threshold} locally; with no LLM tier configured
     * ({@code llm_available} false) their local answer stands and {@code note} says so.
     */
    @RegisterForReflection
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cascade(String tier, Double threshold, boolean llmAvailable, int belowThreshold, int escalated, String note) {}
}
