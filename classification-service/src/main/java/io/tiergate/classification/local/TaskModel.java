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
 * each label's description as one more example of it (the only one for a label without examples).
 */
public final class TaskModel {

    private final List<String> labels;
    private final SoftmaxRegression regression;

    private TaskModel(List<String> labels, SoftmaxRegression regression) {
        this.labels = labels;
        this.regression = regression;
    }

    public static TaskModel train(ClassificationTask task, SentenceEncoder encoder, int maxTokens, double l2) {
        return train(task, encoder.dimension(), texts -> encoder.encode(texts, maxTokens), l2);
    }

    /** As {@link #train(ClassificationTask, SentenceEncoder, int, double)}, with {@code embed} as in {@link LineFeatures}. */
    static TaskModel train(ClassificationTask task, int embeddingSize, Function<List<String>, float[][]> embed, double l2) {
        List<String> labels = task.labelNames();
        List<ClassificationInput> lines = new ArrayList<>();
        List<Integer> targets = new ArrayList<>();
        for (LabelDefinition label : task.labels()) {
            String description = label.description() == null || label.description().isBlank() ? label.name() : label.description();
            lines.add(ClassificationInput.of(description));
            targets.add(labels.indexOf(label.name()));
        }
        for (LabeledExample example : task.examples()) {
            lines.add(example.asInput());
            targets.add(labels.indexOf(example.label()));
        }
        float[][] features = LineFeatures.of(lines, embeddingSize, embed);
        int[] y = targets.stream().mapToInt(Integer::intValue).toArray();
        return new TaskModel(labels, SoftmaxRegression.fit(features, y, labels.size(), l2));
    }

    /** The most probable label of each feature row with its probability. */
    public List<Prediction> predict(float[][] features) {
        List<Prediction> predictions = new ArrayList<>(features.length);
        for (float[] row : features) {
            double[] p = regression.predict(row);
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

    public record Prediction(String label, double confidence) {}
}
