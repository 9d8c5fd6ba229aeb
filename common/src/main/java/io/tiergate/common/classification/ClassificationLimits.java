package io.tiergate.common.classification;

/** Request size limits; a request over any of them is refused with a problem naming the field. */
public record ClassificationLimits(int maxInputs, int maxInputChars, int maxLabels, int maxExamples) {}
