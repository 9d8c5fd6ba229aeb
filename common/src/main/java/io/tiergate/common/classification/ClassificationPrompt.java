package io.tiergate.common.classification;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds the chat prompt that has an LLM classify a batch of lines in one call, and the repair prompt sent
 * once when its answer cannot be used. Lines are sent as JSON objects keyed by their index in the request,
 * so the answer maps back without relying on order.
 */
public final class ClassificationPrompt {

    /** Few-shot examples beyond this many would crowd out the lines themselves. */
    public static final int MAX_PROMPT_EXAMPLES = 40;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClassificationPrompt() {}

    /** The prompt classifying {@code ids} (indices into {@code inputs}). */
    public static List<ChatTurn> build(ClassificationTask task, List<ClassificationInput> inputs, Collection<Integer> ids) {
        StringBuilder system = new StringBuilder()
                .append("You are a precise text classifier. Give every line exactly one of these labels:\n");
        for (LabelDefinition label : task.labels()) {
            system.append("- ").append(label.name());
            if (label.description() != null && !label.description().isBlank()) {
                system.append(": ").append(label.description().trim());
            }
            system.append('\n');
        }
        if (task.instructions() != null && !task.instructions().isBlank()) {
            system.append('\n').append(task.instructions().trim()).append('\n');
        }
        system.append("""

                Answer with one JSON object and nothing else, in this form:
                {"answers": [{"id": <the line's id>, "label": "<one of the labels>", "confidence": <number from 0 to 1>}]}
                Give exactly one answer for every line id you are sent, and use only the labels listed above.""");

        StringBuilder user = new StringBuilder();
        List<LabeledExample> examples = balancedExamples(task);
        if (!examples.isEmpty()) {
            user.append("Labelled examples:\n");
            for (LabeledExample example : examples) {
                ObjectNode node = lineNode(null, example.asInput());
                node.put("label", example.label());
                user.append(node).append('\n');
            }
            user.append('\n');
        }
        user.append("Classify these lines (the context, when given, is what was said just before, context_after what was said just after):\n");
        for (int id : ids) {
            user.append(lineNode(id, inputs.get(id))).append('\n');
        }
        return List.of(ChatTurn.system(system.toString()), ChatTurn.user(user.toString()));
    }

    /**
     * The conversation to send when an answer was unusable: the original prompt, the answer given, and a
     * request to answer again for the lines still undecided, saying what was wrong.
     */
    public static List<ChatTurn> repair(List<ChatTurn> prompt, String badAnswer, BatchAnswer parsed, Collection<Integer> undecided,
            ClassificationTask task) {
        List<ChatTurn> turns = new ArrayList<>(prompt);
        turns.add(ChatTurn.assistant(badAnswer == null || badAnswer.isBlank() ? "(empty answer)" : badAnswer));
        StringBuilder fix = new StringBuilder("Your answer could not be used");
        if (!parsed.problems().isEmpty()) {
            fix.append(":\n");
            parsed.problems().forEach((id, problem) -> fix.append("- ").append(id == null ? "answer" : "line " + id).append(": ")
                    .append(problem).append('\n'));
        } else {
            fix.append(".\n");
        }
        fix.append("Answer again with one JSON object and nothing else, in the form ")
                .append("{\"answers\": [{\"id\": <id>, \"label\": \"<label>\", \"confidence\": <0 to 1>}]}, ")
                .append("for exactly these line ids: ")
                .append(undecided.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(". The only allowed labels are: ").append(String.join(", ", task.labelNames())).append('.');
        turns.add(ChatTurn.user(fix.toString()));
        return turns;
    }

    /** Up to {@link #MAX_PROMPT_EXAMPLES} examples taken in turn from each label, so no label goes unshown. */
    static List<LabeledExample> balancedExamples(ClassificationTask task) {
        Map<String, List<LabeledExample>> byLabel = new LinkedHashMap<>();
        task.labelNames().forEach(name -> byLabel.put(name, new ArrayList<>()));
        task.examples().forEach(example -> byLabel.get(example.label()).add(example));
        List<LabeledExample> chosen = new ArrayList<>();
        for (int round = 0; chosen.size() < MAX_PROMPT_EXAMPLES; round++) {
            boolean any = false;
            for (List<LabeledExample> examples : byLabel.values()) {
                if (round < examples.size() && chosen.size() < MAX_PROMPT_EXAMPLES) {
                    chosen.add(examples.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        return chosen;
    }

    private static ObjectNode lineNode(Integer id, ClassificationInput input) {
        ObjectNode node = JSON.createObjectNode();
        if (id != null) {
            node.put("id", id);
        }
        if (input.speaker() != null && !input.speaker().isBlank()) {
            node.put("speaker", input.speaker());
        }
        if (input.role() != null && !input.role().isBlank()) {
            node.put("role", input.role());
        }
        if (input.context() != null && !input.context().isBlank()) {
            node.put("context", input.context());
        }
        node.put("text", input.text());
        if (input.contextAfter() != null && !input.contextAfter().isBlank()) {
            node.put("context_after", input.contextAfter());
        }
        return node;
    }
}
