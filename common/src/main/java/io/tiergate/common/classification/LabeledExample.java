package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A few-shot example: a line with the label it should get. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabeledExample(String text, String speaker, String context, String label) {

    public ClassificationInput asInput() {
        return new ClassificationInput(text, speaker, context);
    }
}
