package io.tiergate.common.extraction;

/** Request size limits for extractions. */
public record ExtractionLimits(int maxTextChars, int maxSchemaChars) {}
