package io.tiergate.classification.local;

import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.LabelDefinition;
import io.tiergate.common.classification.LabeledExample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A classifier trained for one task: logistic regression over line features of the task's examples, with
 * each label's description as one more example of it (the only one for a label without examples); and, for a task
 * with conversations from more than one recording, a {@link ConversationModel} that decides lines sent as a
 * conversation again from their neighbours.
 */
public final class TaskModel {

    private final List<String> labels;
    private final SoftmaxRegression lines;
    private final ConversationModel conversations;

    private TaskModel(List<String> labels, SoftmaxRegression lines, ConversationModel conversations) {
        this.labels = labels;
        this.lines = lines;
        this.conversations = conversations;
    }

    public static TaskModel train(ClassificationTask task, SentenceEncoder encoder, int maxTokens, double l2) {
        return train(task, encoder.dimension(), texts -> encoder.encode(texts, maxTokens), l2);
    }

    /** As {@link #train(ClassificationTask, SentenceEncoder, int, double)}, with {@code embed} as in {@link LineFeatures}. */
    static TaskModel train(ClassificationTask task, int embeddingSize, Function<List<String>, float[][]> embed, double l2) {
        // The conversation model's line models see the same lines again: each is embedded once.
        Function<List<String>, float[][]> embedOnce = task.conversations().isEmpty() ? embed : new EmbeddingCache(embed);
        Function<List<LabeledExample>, SoftmaxRegression> fit = examples -> fitLines(task, examples, embeddingSize, embedOnce, l2);
        SoftmaxRegression lines = fit.apply(task.examples());
        ConversationModel conversations = ConversationModel.train(task.examples(), task.conversations(), task.labelNames(),
                examples -> {
                    SoftmaxRegression regression = fit.apply(examples);
                    return inputs -> probabilities(regression, LineFeatures.of(inputs, embeddingSize, embedOnce));
                }, l2);
        return new TaskModel(task.labelNames(), lines, conversations);
    }

    private static SoftmaxRegression fitLines(ClassificationTask task, List<LabeledExample> examples, int embeddingSize,
            Function<List<String>, float[][]> embed, double l2) {
        List<String> labels = task.labelNames();
        List<ClassificationInput> lines = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (LabelDefinition label : task.labels()) {
            String description = label.description() == null || label.description().isBlank() ? label.name() : label.description();
            lines.add(ClassificationInput.of(description));
            targets.add(labels.indexOf(label.name()));
        }
        for (LabeledExample example : examples) {
            lines.add(example.asInput());
            targets.add(labels.indexOf(example.label()));
        }
        float[][] features = LineFeatures.of(lines, embeddingSize, embed);
        int[] y = targets.stream().mapToInt(Integer::intValue).toArray();
        return SoftmaxRegression.fit(features, y, labels.size(), l2);
    }

    /**
     * The most probable label of each input with its probability; {@code features} are the inputs' {@link LineFeatures}.
     * Inputs sent as a conversation are decided with their neighbours when the task has a conversation model.
     */
    public List<Prediction> predict(List<ClassificationInput> inputs, float[][] features) {
        double[][] probabilities = probabilities(lines, features);
        if (conversations != null) {
            probabilities = conversations.refine(inputs, probabilities);
        }
        List<Prediction> predictions = new ArrayList<>(probabilities.length);
        for (double[] p : probabilities) {
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            predictions.add(new Prediction(labels.get(best), p[best]));
        }
        return predictions;
    }

    private static double[][] probabilities(SoftmaxRegression regression, float[][] features) {
        double[][] probabilities = new double[features.length][];
        for (int i = 0; i < features.length; i++) {
            probabilities[i] = regression.predict(features[i]);
        }
        return probabilities;
    }

    public record Prediction(String label, double confidence) {}
}
