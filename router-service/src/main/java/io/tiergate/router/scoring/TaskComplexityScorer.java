package io.tiergate.router.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiergate.router.config.RouterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;

/**
 * Scores classification, extraction and embedding requests 0–10 from their size and shape: how many
 * items, how much text, how many labels, how large an extraction schema, and whether the labels or
 * instructions ask for reasoning. The same thresholds as chat turn the score into a tier.
 */
@ApplicationScoped
public class TaskComplexityScorer {

    private static final int ITEMS_SATURATION = 1_000;
    private static final int CHARACTERS_SATURATION = 200_000;
    private static final int LABELS_SATURATION = 20;
    private static final int SCHEMA_FIELDS_SATURATION = 50;
    private static final double MAX_SCORE = 10;

    private final RouterConfig.Scoring.TaskWeights weights;
    private final ComplexityScorer chatScorer;

    public TaskComplexityScorer(RouterConfig config, ComplexityScorer chatScorer) {
        this.weights = config.scoring().taskWeights();
        this.chatScorer = chatScorer;
    }

    public ComplexityScore score(JsonNode body) {
        TextStats inputs = new TextStats();
        inputs.add(body.get("inputs"));
        inputs.add(body.get("input"));
        inputs.add(body.get("text"));
        int labels = body.path("labels").size();
        int schemaFields = countProperties(body.get("schema"));
        StringBuilder instructions = new StringBuilder();
        for (JsonNode label : body.path("labels")) {
            instructions.append(label.path("description").asText("")).append('\n');
        }
        instructions.append(body.path("instructions").asText(""));
        int cues = ComplexityScorer.countCues(instructions.toString().toLowerCase(Locale.ROOT));

        List<FeatureContribution> features = List.of(
                FeatureContribution.of("items", inputs.items, saturating(inputs.items, ITEMS_SATURATION), weights.items()),
                FeatureContribution.of("characters", inputs.characters,
                        saturating(inputs.characters, CHARACTERS_SATURATION), weights.characters()),
                FeatureContribution.of("labels", labels, (double) labels / LABELS_SATURATION, weights.labels()),
                FeatureContribution.of("schema_fields", schemaFields, (double) schemaFields / SCHEMA_FIELDS_SATURATION,
                        weights.schemaFields()),
                FeatureContribution.of("reasoning_cues", cues, cues / 3.0, weights.reasoning()));
        double sum = features.stream().mapToDouble(FeatureContribution::contribution).sum();
        double score = FeatureContribution.round(Math.min(MAX_SCORE, sum));
        return new ComplexityScore(score, chatScorer.tierOf(score), inputs.characters / 4, 0, features);
    }

    private static double saturating(long value, int saturation) {
        return value <= 0 ? 0 : Math.log1p(value) / Math.log1p(saturation);
    }

    /** Counts every property declared anywhere in a JSON Schema. */
    private static int countProperties(JsonNode schema) {
        if (schema == null || !schema.isContainerNode()) {
            return 0;
        }
        int count = schema.path("properties").size();
        for (JsonNode child : schema) {
            count += countProperties(child);
        }
        return count;
    }

    /** Items and characters of a string, an array of strings, or an array of objects with a {@code text}. */
    private static final class TextStats {
        long items;
        long characters;

        void add(JsonNode node) {
            if (node == null || node.isNull()) {
                return;
            }
            if (node.isTextual()) {
                items++;
                characters += node.asText().length();
            } else if (node.isArray()) {
                for (JsonNode item : node) {
                    items++;
                    characters += (item.isTextual() ? item.asText() : item.path("text").asText("")).length();
                }
            }
        }
    }
}
