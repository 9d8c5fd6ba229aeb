package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One line to classify; {@code speaker} and {@code context} (usually the previous line) sharpen the decision. */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationInput(String text, String speaker, String context) {

    public static ClassificationInput of(String text) {
        return new ClassificationInput(text, null, null);
    }
}
