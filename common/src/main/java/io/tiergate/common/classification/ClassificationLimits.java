package io.tiergate.common.classification;

/** Request size limits; a request over any of them is refused with a problem naming the field. */
public record ClassificationLimits(int maxInputs, int maxInputChars, int maxLabels, int maxExamples) {

    public static final ClassificationLimits DEFAULT = new ClassificationLimits(5000, 4000, 50, 2000);
}
