package io.tiergate.common.classification;

import java.util.List;
import java.util.Optional;

/**
 * A resolved classification task: what the engines classify against. {@code instructions} is extra
 * guidance for an LLM (a built-in task's decision rules), empty for ad-hoc tasks. {@code conversations} are
 * transcripts whose labelled turns are also among the {@code examples}, kept in order so that a classifier can learn
 * how a line's neighbours bear on it; ad-hoc tasks have none.
 */
public record ClassificationTask(String name, String instructions, List<LabelDefinition> labels, List<LabeledExample> examples,
                                 List<Conversation> conversations) {

    public ClassificationTask {
        labels = List.copyOf(labels);
        examples = List.copyOf(examples);
        conversations = List.copyOf(conversations);
    }

    /** A task without conversations. */
    public ClassificationTask(String name, String instructions, List<LabelDefinition> labels, List<LabeledExample> examples) {
        this(name, instructions, labels, examples, List.of());
    }

    public List<String> labelNames() {
        return labels.stream().map(LabelDefinition::name).toList();
    }

    /** The label as declared, matched without regard to case, or empty when the task has no such label. */
    public Optional<String> canonicalLabel(String candidate) {
        if (candidate == null) {
            return Optional.empty();
        }
        String trimmed = candidate.trim();
        return labels.stream().map(LabelDefinition::name).filter(name -> name.equalsIgnoreCase(trimmed)).findFirst();
    }

    public ClassificationTask withExtraExamples(List<LabeledExample> extra) {
        if (extra == null || extra.isEmpty()) {
            return this;
        }
        List<LabeledExample> all = new java.util.ArrayList<>(examples);
        all.addAll(extra);
        return new ClassificationTask(name, instructions, labels, all, conversations);
    }
}
