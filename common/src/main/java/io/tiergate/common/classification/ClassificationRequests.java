package io.tiergate.common.classification;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a classification request and resolves the task it asks for. Every refusal is a
 * {@link ProblemException} naming the offending field, so the pod and the router answer bad input alike.
 */
public final class ClassificationRequests {

    public static final List<String> TIERS = List.of("auto", "local", "llm");

    /** Longest {@code speaker} or {@code role}: a name, or a few names joined by commas. */
    private static final int MAX_NAME_CHARS = 200;

    private ClassificationRequests() {}

    /** The task to classify against: the named built-in task or the request's own labels, plus the request's examples. */
    public static ClassificationTask resolve(ClassificationRequest request, ClassificationLimits limits) {
        if (request == null) {
            throw ProblemException.badField(null, "The request body is missing; send a JSON object with 'inputs' and 'labels' or 'task'.");
        }
        checkInputs(request.inputs(), limits);
        tierOf(request);
        if (request.escalationThreshold() != null
                && (request.escalationThreshold().isNaN() || request.escalationThreshold() < 0 || request.escalationThreshold() > 1)) {
            throw ProblemException.badField("escalation_threshold", "Field 'escalation_threshold' must be between 0 and 1.");
        }
        ClassificationTask base = baseTask(request, limits);
        List<LabeledExample> examples = request.examples() == null ? List.of() : request.examples();
        if (examples.size() > limits.maxExamples()) {
            throw ProblemException.badField("examples",
                    "Field 'examples' has " + examples.size() + " entries; at most " + limits.maxExamples() + " are allowed.");
        }
        List<LabeledExample> canonical = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            LabeledExample example = examples.get(i);
            String field = "examples[" + i + "]";
            if (example == null) {
                throw ProblemException.badField(field, "Field '" + field + "' must be an object with 'text' and 'label'.");
            }
            checkText(example.text(), field + ".text", limits);
            String label = base.canonicalLabel(example.label()).orElseThrow(() -> ProblemException.badField(field + ".label",
                    "Field '" + field + ".label' must be one of the task's labels " + base.labelNames() + "."));
            canonical.add(new LabeledExample(example.text(), example.speaker(), example.context(), example.contextAfter(), example.role(),
                    label));
        }
        return base.withExtraExamples(canonical);
    }

    /** The requested tier, {@code auto} when absent. */
    public static String tierOf(ClassificationRequest request) {
        if (request.tier() == null) {
            return "auto";
        }
        String tier = request.tier().trim().toLowerCase(Locale.ROOT);
        if (!TIERS.contains(tier)) {
            throw ProblemException.badField("tier", "Field 'tier' must be one of " + TIERS + ".");
        }
        return tier;
    }

    private static ClassificationTask baseTask(ClassificationRequest request, ClassificationLimits limits) {
        boolean hasLabels = request.labels() != null && !request.labels().isEmpty();
        if (request.task() != null) {
            if (hasLabels) {
                throw ProblemException.badField("labels", "Give either 'task' or 'labels', not both.");
            }
            return BuiltInTasks.find(request.task().trim()).orElseThrow(() -> ProblemException.badField("task",
                    "Unknown task " + Problem.quoted(request.task()) + "; built-in tasks are " + BuiltInTasks.names() + "."));
        }
        if (!hasLabels) {
            throw ProblemException.badField("labels",
                    "Field 'labels' is required (at least two labels) unless 'task' names a built-in task " + BuiltInTasks.names() + ".");
        }
        List<LabelDefinition> labels = request.labels();
        if (labels.size() < 2 || labels.size() > limits.maxLabels()) {
            throw ProblemException.badField("labels",
                    "Field 'labels' must have between 2 and " + limits.maxLabels() + " labels; it has " + labels.size() + ".");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            LabelDefinition label = labels.get(i);
            String field = "labels[" + i + "].name";
            if (label == null || label.name() == null || label.name().isBlank()) {
                throw ProblemException.badField(field, "Field '" + field + "' is required.");
            }
            if (label.name().length() > 100) {
                throw ProblemException.badField(field, "Field '" + field + "' is longer than 100 characters.");
            }
            if (!seen.add(label.name().trim().toLowerCase(Locale.ROOT))) {
                throw ProblemException.badField(field, "Label " + Problem.quoted(label.name()) + " is defined twice.");
            }
            if (label.description() != null && label.description().length() > limits.maxInputChars()) {
                throw ProblemException.badField("labels[" + i + "].description",
                        "Field 'labels[" + i + "].description' is longer than " + limits.maxInputChars() + " characters.");
            }
        }
        List<LabelDefinition> trimmed = labels.stream().map(l -> new LabelDefinition(l.name().trim(), l.description())).toList();
        return new ClassificationTask("custom", "", trimmed, List.of());
    }

    private static void checkInputs(List<ClassificationInput> inputs, ClassificationLimits limits) {
        if (inputs == null || inputs.isEmpty()) {
            throw ProblemException.badField("inputs", "Field 'inputs' must list at least one line to classify.");
        }
        if (inputs.size() > limits.maxInputs()) {
            throw ProblemException.badField("inputs",
                    "Field 'inputs' has " + inputs.size() + " lines; at most " + limits.maxInputs() + " are allowed per request.");
        }
        for (int i = 0; i < inputs.size(); i++) {
            ClassificationInput input = inputs.get(i);
            String field = "inputs[" + i + "]";
            if (input == null) {
                throw ProblemException.badField(field, "Field '" + field + "' must be an object with 'text'.");
            }
            checkText(input.text(), field + ".text", limits);
            checkLength(input.context(), field + ".context", limits.maxInputChars());
            checkLength(input.contextAfter(), field + ".context_after", limits.maxInputChars());
            checkLength(input.speaker(), field + ".speaker", MAX_NAME_CHARS);
            checkLength(input.role(), field + ".role", MAX_NAME_CHARS);
        }
    }

    private static void checkLength(String value, String field, int maxChars) {
        if (value != null && value.length() > maxChars) {
            throw ProblemException.badField(field, "Field '" + field + "' is longer than " + maxChars + " characters.");
        }
    }

    private static void checkText(String text, String field, ClassificationLimits limits) {
        if (text == null || text.isBlank()) {
            throw ProblemException.badField(field, "Field '" + field + "' is required and must not be blank.");
        }
        if (text.length() > limits.maxInputChars()) {
            throw ProblemException.badField(field,
                    "Field '" + field + "' has " + text.length() + " characters; at most " + limits.maxInputChars() + " are allowed.");
        }
    }
}
