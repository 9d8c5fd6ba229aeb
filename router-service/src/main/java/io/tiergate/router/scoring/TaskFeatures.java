package io.tiergate.router.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiergate.router.config.RouterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The complexity features of classification, extraction and embedding requests, from their size and shape: how many
 * items, how much text, how many labels, how large an extraction schema, and whether the labels or instructions ask
 * for reasoning.
 */
@ApplicationScoped
public class TaskFeatures {

    private static final int ITEMS_SATURATION = 1_000;
    private static final int CHARACTERS_SATURATION = 200_000;
    private static final int LABELS_SATURATION = 20;
    private static final int SCHEMA_FIELDS_SATURATION = 50;

    private final RouterConfig.Scoring.TaskWeights weights;

    public TaskFeatures(RouterConfig config) {
        this.weights = config.scoring().taskWeights();
    }

    public List<FeatureContribution> of(JsonNode body) {
        TextStats inputs = TextStats.of(body);
        int labels = body.path("labels").size();
        int schemaFields = countProperties(body.get("schema"));
        StringBuilder instructions = new StringBuilder();
        for (JsonNode label : body.path("labels")) {
            instructions.append(label.path("description").asText("")).append('\n');
        }
        instructions.append(body.path("instructions").asText(""));
        int cues = ReasoningCues.count(instructions.toString().toLowerCase(Locale.ROOT));
        return List.of(
                FeatureContribution.of("items", inputs.items(), ComplexityScorer.saturating(inputs.items(), ITEMS_SATURATION),
                        weights.items()),
                FeatureContribution.of("characters", inputs.characters(),
                        ComplexityScorer.saturating(inputs.characters(), CHARACTERS_SATURATION), weights.characters()),
                FeatureContribution.of("labels", labels, (double) labels / LABELS_SATURATION, weights.labels()),
                FeatureContribution.of("schema_fields", schemaFields, (double) schemaFields / SCHEMA_FIELDS_SATURATION,
                        weights.schemaFields()),
                FeatureContribution.of("reasoning_cues", cues, cues / 3.0, weights.reasoning()));
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

    /**
     * Items and characters of a task's text, wherever it is: {@code inputs}, {@code input} or {@code text}, each a
     * string, an array of strings, or an array of objects with a {@code text}.
     */
    public record TextStats(long items, long characters) {

        public static TextStats of(JsonNode body) {
            List<String> texts = texts(body);
            return new TextStats(texts.size(), texts.stream().mapToLong(String::length).sum());
        }

        /** Each item of the task's text, in order. */
        public static List<String> texts(JsonNode body) {
            List<String> texts = new ArrayList<>();
            for (String field : new String[] {"inputs", "input", "text"}) {
                add(body.get(field), texts);
            }
            return texts;
        }

        private static void add(JsonNode node, List<String> texts) {
            if (node == null || node.isNull()) {
                return;
            }
            if (node.isTextual()) {
                texts.add(node.asText());
            } else if (node.isArray()) {
                for (JsonNode item : node) {
                    texts.add(item.isTextual() ? item.asText() : item.path("text").asText(""));
                }
            }
        }
    }
}
