package io.tiergate.common.classification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses and validates an LLM's answer to a {@link ClassificationPrompt}. Nothing is guessed: a line whose
 * answer is missing, names an unknown label, lacks a confidence in [0,1] or appears twice is left undecided
 * with the reason, for the repair prompt and, failing that, the line's error.
 */
public final class ClassificationAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassificationAnswers() {}

    public static BatchAnswer parse(String content, Collection<Integer> requested, ClassificationTask task) {
        Map<Integer, BatchAnswer.Decision> decided = new LinkedHashMap<>();
        Map<Integer, String> problems = new LinkedHashMap<>();
        Optional<JsonNode> answers = answersArray(content);
        if (answers.isEmpty()) {
            problems.put(null, "the answer is not a JSON object of the form {\"answers\": [...]}");
            return new BatchAnswer(decided, problems);
        }
        Set<Integer> expected = new HashSet<>(requested);
        Set<Integer> duplicated = new HashSet<>();
        for (JsonNode answer : answers.get()) {
            Integer id = idOf(answer.get("id"));
            if (id == null) {
                problems.put(null, "an answer has no numeric 'id'");
                continue;
            }
            if (!expected.contains(id)) {
                problems.put(null, "id " + id + " was not one of the lines sent");
                continue;
            }
            if (decided.containsKey(id) || duplicated.contains(id)) {
                decided.remove(id);
                duplicated.add(id);
                problems.put(id, "answered more than once");
                continue;
            }
            JsonNode labelNode = answer.get("label");
            Optional<String> label = labelNode != null && labelNode.isTextual() ? task.canonicalLabel(labelNode.asText()) : Optional.empty();
            if (label.isEmpty()) {
                problems.put(id, "label " + (labelNode == null ? "missing" : labelNode + " is not one of " + task.labelNames()));
                continue;
            }
            JsonNode confidenceNode = answer.get("confidence");
            if (confidenceNode == null || !confidenceNode.isNumber()
                    || confidenceNode.asDouble() < 0 || confidenceNode.asDouble() > 1) {
                problems.put(id, "confidence " + (confidenceNode == null ? "missing" : confidenceNode + " is not a number from 0 to 1"));
                continue;
            }
            decided.put(id, new BatchAnswer.Decision(label.get(), confidenceNode.asDouble()));
        }
        for (int id : requested) {
            if (!decided.containsKey(id) && !problems.containsKey(id)) {
                problems.put(id, "no answer");
            }
        }
        return new BatchAnswer(decided, problems);
    }

    /** The answers array, from the object the model was asked for, a bare array, or either wrapped in prose or a code fence. */
    private static Optional<JsonNode> answersArray(String content) {
        if (content == null) {
            return Optional.empty();
        }
        for (String candidate : JsonSpans.candidates(content)) {
            try {
                JsonNode node = JSON.readTree(candidate);
                if (node != null && node.isObject() && node.path("answers").isArray()) {
                    return Optional.of(node.get("answers"));
                }
                if (node != null && node.isArray()) {
                    return Optional.of(node);
                }
            } catch (java.io.IOException notJson) {
                // try the next candidate span
            }
        }
        return Optional.empty();
    }

    private static Integer idOf(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.asInt();
        }
        if (node.isTextual()) {
            try {
                return Integer.parseInt(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
