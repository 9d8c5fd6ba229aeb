package io.tiergate.common.classification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line to classify. Everything but {@code text} is optional and sharpens the decision: {@code speaker} (a name or
 * a diarization label such as {@code SPEAKER_01}), {@code context} (what was said just before, usually the previous
 * turn as {@code SPEAKER: text}), {@code context_after} (what was said just after, in the same form) and {@code role}
 * (the speaker's part where the caller knows it, e.g. {@code GM} for the game master of a tabletop session).
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassificationInput(String text, String speaker, String context, String contextAfter, String role) {

    public static ClassificationInput of(String text) {
        return new ClassificationInput(text, null, null, null, null);
    }
}
