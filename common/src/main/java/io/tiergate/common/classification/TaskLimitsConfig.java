package io.tiergate.common.classification;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import io.tiergate.common.extraction.ExtractionLimits;

/**
 * {@code tiergate.classification.limits.*}: how large a classification, extraction or embeddings request may be. The
 * classification pod and the router read the same keys, so the router refuses exactly what the pod would refuse,
 * before any backend is called.
 */
@ConfigMapping(prefix = "tiergate.classification.limits")
public interface TaskLimitsConfig {

    /** Lines per classification request. */
    @WithDefault("5000")
    @Min(1)
    int maxInputs();

    /** Characters per line, context or label description. */
    @WithDefault("4000")
    @Min(1)
    int maxInputChars();

    @WithDefault("50")
    @Min(1)
    int maxLabels();

    @WithDefault("2000")
    @Min(1)
    int maxExamples();

    /** Characters of text per extraction request, and per embeddings input. */
    @WithDefault("100000")
    @Min(1)
    int maxExtractionChars();

    /** Characters of an extraction's JSON Schema. */
    @WithDefault("20000")
    @Min(1)
    int maxSchemaChars();

    /** Texts per embeddings request. */
    @WithDefault("2048")
    @Min(1)
    int maxEmbeddingInputs();

    default ClassificationLimits classification() {
        return new ClassificationLimits(maxInputs(), maxInputChars(), maxLabels(), maxExamples());
    }

    default ExtractionLimits extraction() {
        return new ExtractionLimits(maxExtractionChars(), maxSchemaChars());
    }
}
