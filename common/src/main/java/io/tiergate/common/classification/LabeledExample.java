package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A few-shot example: a line, with the optional fields of {@link ClassificationInput}, and the label it should get. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LabeledExample(String text, String speaker, String context, String contextAfter, String role, String label) {

    public static LabeledExample of(ClassificationInput input, String label) {
        return new LabeledExample(input.text(), input.speaker(), input.context(), input.contextAfter(), input.role(), label);
    }

    public ClassificationInput asInput() {
        return new ClassificationInput(text, speaker, context, contextAfter, role);
    }
}
