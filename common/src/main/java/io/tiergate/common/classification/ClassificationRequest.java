package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Body of {@code POST /v1/classifications}. Either {@code task} names a built-in task, or {@code labels}
 * define one; {@code examples} add few-shot examples to either. {@code tier} is {@code auto} (the local
 * tier, escalating unsure lines to the LLM tier), {@code local} or {@code llm}; {@code escalation_threshold}
 * overrides the pod's configured confidence threshold for this request.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationRequest(
        String task,
        List<LabelDefinition> labels,
        List<LabeledExample> examples,
        List<ClassificationInput> inputs,
        String tier,
        Double escalationThreshold) {}
