package io.tiergate.common.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.classification.JsonSpans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses and validates an LLM's extraction answer; properties it left out become null (not found), nothing else is filled in. */
public final class ExtractionAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExtractionAnswers() {}

    /** The validated object and the properties left null, or the problems that keep the answer from being used. */
    public record Parsed(ObjectNode data, List<String> notFound, List<String> problems) {

        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public static Parsed parse(String content, ExtractionSchema schema) {
        ObjectNode data = firstObject(content);
        if (data == null) {
            return new Parsed(null, List.of(), List.of("the answer is not a JSON object"));
        }
        List<String> notFound = new ArrayList<>();
        for (String name : schema.propertyNames()) {
            if (!data.has(name)) {
                data.putNull(name);
            }
            if (data.get(name).isNull()) {
                notFound.add(name);
            }
        }
        List<String> violations = schema.violations(data);
        return violations.isEmpty() ? new Parsed(data, notFound, List.of()) : new Parsed(null, List.of(), violations);
    }

    private static ObjectNode firstObject(String content) {
        if (content == null) {
            return null;
        }
        for (String candidate : JsonSpans.candidates(content)) {
            try {
                JsonNode node = JSON.readTree(candidate);
                if (node instanceof ObjectNode object) {
                    return object;
                }
            } catch (IOException notJson) {
                // try the next candidate span
            }
        }
        return null;
    }
}
