package io.tiergate.common.extraction;

/** Request size limits for extractions. */
public record ExtractionLimits(int maxTextChars, int maxSchemaChars) {

    public static final ExtractionLimits DEFAULT = new ExtractionLimits(100_000, 20_000);
}
