package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import io.tiergate.classification.config.ClassificationConfig;
import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.LabeledExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local tier's quality on the hand-labelled IC/OOC dev set, with the pod's default settings (read from
 * {@link ClassificationConfig}'s defaults). Two figures: the built-in ic-ooc task alone, as the pod ships it (its
 * examples are written for Tiergate, none comes from the dev set or its episode, so every dev line is unseen), and
 * 5-fold cross-validation, where each fold is classified with the built-in task plus the other folds' lines as
 * few-shot examples, exactly as a caller would send them. Each prints accuracy, macro-F1 and the escalation rate at
 * the configured cascade threshold.
 */
class IcOocAccuracyTest {

    private static final int FOLDS = 5;
    private static final double THRESHOLD = defaultOf(ClassificationConfig.Cascade.class, "threshold");
    private static final int MAX_TOKENS = (int) defaultOf(ClassificationConfig.Local.class, "classificationMaxTokens");
    private static final double L2 = defaultOf(ClassificationConfig.Local.class, "l2");
    private static final int BATCH = (int) defaultOf(ClassificationConfig.Local.class, "batchSize");

    private static SentenceEncoder encoder;

    @BeforeAll
    static void loadModel() {
        Assumptions.assumeTrue(IcOocDevSet.present(),
                "Skipped: the shared test assets (" + IcOocDevSet.ASSETS.toAbsolutePath().normalize() + ") are not present");
        encoder = SentenceEncoder.load("all-minilm-l6-v2-q", "cpu", 0, 0, BATCH);
    }

    @AfterAll
    static void close() throws Exception {
        if (encoder != null) {
            encoder.close();
        }
    }

    @Test
    void localTierReaches85PercentOnHeldOutFolds() throws Exception {
        IcOocDevSet dev = IcOocDevSet.load();
        int n = dev.lines().size();
        String[] predicted = new String[n];
        double[] confidence = new double[n];
        ClassificationTask icOoc = BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow();
        for (int fold = 0; fold < FOLDS; fold++) {
            List<LabeledExample> examples = new ArrayList<>();
            List<ClassificationInput> heldOut = new ArrayList<>();
            List<Integer> heldOutIndex = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ClassificationInput line = dev.lines().get(i);
                if (i % FOLDS == fold) {
                    heldOut.add(line);
                    heldOutIndex.add(i);
                } else {
                    examples.add(new LabeledExample(line.text(), line.speaker(), line.context(), dev.labels().get(i)));
                }
            }
            TaskModel model = TaskModel.train(icOoc.withExtraExamples(examples), encoder, MAX_TOKENS, L2);
            List<TaskModel.Prediction> predictions = model.predict(LineFeatures.of(heldOut, encoder, MAX_TOKENS));
            for (int k = 0; k < heldOut.size(); k++) {
                predicted[heldOutIndex.get(k)] = predictions.get(k).label();
                confidence[heldOutIndex.get(k)] = predictions.get(k).confidence();
            }
        }
        Scores scores = Scores.of(dev.labels(), List.of(predicted), confidence, THRESHOLD);
        System.out.printf("IC/OOC local tier, %d-fold CV on %d lines: accuracy %.3f, macro-F1 %.3f (F1 IC %.3f, OOC %.3f); "
                        + "at threshold %.2f %.1f%% escalate, accuracy on the rest %.3f%n",
                FOLDS, n, scores.accuracy(), scores.macroF1(), scores.f1("IC"), scores.f1("OOC"), THRESHOLD,
                100 * scores.escalationRate(), scores.keptAccuracy());
        assertThat(scores.accuracy()).isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void builtInTaskAloneReaches78PercentOnTheWholeDevSet() throws Exception {
        IcOocDevSet dev = IcOocDevSet.load();
        ClassificationTask icOoc = BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow();
        TaskModel model = TaskModel.train(icOoc, encoder, MAX_TOKENS, L2);
        List<TaskModel.Prediction> predictions = model.predict(LineFeatures.of(dev.lines(), encoder, MAX_TOKENS));
        List<String> predicted = predictions.stream().map(TaskModel.Prediction::label).toList();
        double[] confidence = predictions.stream().mapToDouble(TaskModel.Prediction::confidence).toArray();
        Scores scores = Scores.of(dev.labels(), predicted, confidence, THRESHOLD);
        System.out.printf("IC/OOC local tier with the built-in task only (%d examples, no dev lines) on all %d dev lines: accuracy %.3f, "
                        + "macro-F1 %.3f (F1 IC %.3f, OOC %.3f); at threshold %.2f %.1f%% escalate, accuracy on the rest %.3f%n",
                icOoc.examples().size(), dev.lines().size(), scores.accuracy(), scores.macroF1(), scores.f1("IC"), scores.f1("OOC"),
                THRESHOLD, 100 * scores.escalationRate(), scores.keptAccuracy());
        // Measured 0.805 accuracy and 0.772 macro-F1 (0.82 and 0.79 averaged over batch sizes 8, 16 and 32, as activations
        // are quantized per batch); the previous 32 examples reached 0.634 and 0.632. The floors leave about 8 lines.
        assertThat(scores.accuracy()).isGreaterThanOrEqualTo(0.78);
        assertThat(scores.macroF1()).isGreaterThanOrEqualTo(0.75);
    }

    /**
     * Why the local tier uses logistic regression: on the same features (each line, its context and speaker, embedded once),
     * with the same 5 folds and training examples, it is compared with the two other usual choices, nearest centroid and
     * cosine kNN (k = 5), and must not be beaten by either.
     */
    @Test
    void logisticRegressionIsTheBestOfTheMeasuredClassifiers() throws Exception {
        IcOocDevSet dev = IcOocDevSet.load();
        ClassificationTask icOoc = BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow();
        List<String> labels = icOoc.labelNames();
        List<ClassificationInput> builtIn = new ArrayList<>();
        List<Integer> builtInLabels = new ArrayList<>();
        icOoc.labels().forEach(label -> {
            builtIn.add(ClassificationInput.of(label.description()));
            builtInLabels.add(labels.indexOf(label.name()));
        });
        icOoc.examples().forEach(example -> {
            builtIn.add(example.asInput());
            builtInLabels.add(labels.indexOf(example.label()));
        });
        float[][] builtInFeatures = LineFeatures.of(builtIn, encoder, MAX_TOKENS);
        float[][] devFeatures = LineFeatures.of(dev.lines(), encoder, MAX_TOKENS);
        int[] gold = dev.labels().stream().mapToInt(labels::indexOf).toArray();

        Map<String, Double> accuracy = new LinkedHashMap<>();
        accuracy.put("logistic regression", crossValidated(builtInFeatures, builtInLabels, devFeatures, gold,
                (x, y) -> {
                    SoftmaxRegression regression = SoftmaxRegression.fit(x, y, labels.size(), L2);
                    return row -> argmax(regression.predict(row));
                }));
        accuracy.put("nearest centroid", crossValidated(builtInFeatures, builtInLabels, devFeatures, gold,
                (x, y) -> nearestCentroid(x, y, labels.size())));
        accuracy.put("kNN (k=5)", crossValidated(builtInFeatures, builtInLabels, devFeatures, gold,
                (x, y) -> nearestNeighbours(x, y, labels.size(), 5)));
        System.out.printf("IC/OOC local classifiers, %d-fold CV accuracy on the same features:", FOLDS);
        accuracy.forEach((name, value) -> System.out.printf(" %s %.3f;", name, value));
        System.out.println();

        assertThat(accuracy.get("logistic regression"))
                .isGreaterThanOrEqualTo(accuracy.get("nearest centroid"))
                .isGreaterThanOrEqualTo(accuracy.get("kNN (k=5)"));
    }

    /** Accuracy over {@link #FOLDS} folds, each classified by a model fitted to the built-in examples plus the other folds. */
    private static double crossValidated(float[][] builtIn, List<Integer> builtInLabels, float[][] dev, int[] gold,
            BiFunction<float[][], int[], ToIntFunction<float[]>> fit) {
        int right = 0;
        for (int fold = 0; fold < FOLDS; fold++) {
            List<float[]> rows = new ArrayList<>(List.of(builtIn));
            List<Integer> targets = new ArrayList<>(builtInLabels);
            for (int i = 0; i < dev.length; i++) {
                if (i % FOLDS != fold) {
                    rows.add(dev[i]);
                    targets.add(gold[i]);
                }
            }
            ToIntFunction<float[]> model = fit.apply(rows.toArray(float[][]::new), targets.stream().mapToInt(Integer::intValue).toArray());
            for (int i = fold; i < dev.length; i += FOLDS) {
                right += model.applyAsInt(dev[i]) == gold[i] ? 1 : 0;
            }
        }
        return (double) right / dev.length;
    }

    private static ToIntFunction<float[]> nearestCentroid(float[][] x, int[] y, int classes) {
        double[][] centroids = new double[classes][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                centroids[y[i]][j] += x[i][j];
            }
        }
        return row -> {
            double[] similarity = new double[classes];
            for (int c = 0; c < classes; c++) {
                similarity[c] = cosine(centroids[c], row);
            }
            return argmax(similarity);
        };
    }

    private static ToIntFunction<float[]> nearestNeighbours(float[][] x, int[] y, int classes, int k) {
        return row -> {
            Integer[] order = new Integer[x.length];
            double[] similarity = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                order[i] = i;
                similarity[i] = cosine(toDoubles(x[i]), row);
            }
            Arrays.sort(order, (a, b) -> Double.compare(similarity[b], similarity[a]));
            double[] votes = new double[classes];
            for (int i = 0; i < k; i++) {
                votes[y[order[i]]] += similarity[order[i]];
            }
            return argmax(votes);
        };
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    private static double cosine(double[] a, float[] b) {
        double dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void builtInExamplesAreOriginal() throws Exception {
        // No built-in example may be a line of the dev set's episode: the built-in figure above must stay unseen data.
        Set<String> episode = new HashSet<>();
        for (String line : IcOocDevSet.episodeTexts()) {
            episode.add(normalized(line));
        }
        for (LabeledExample example : BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow().examples()) {
            if (normalized(example.text()).split(" ").length >= 4) {
                assertThat(episode).as(example.text()).doesNotContain(normalized(example.text()));
            }
        }
    }

    private static String normalized(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim().replaceAll(" +", " ");
    }

    private static double defaultOf(Class<?> settings, String name) {
        try {
            return Double.parseDouble(settings.getMethod(name).getAnnotation(WithDefault.class).value());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    record Scores(List<String> gold, List<String> predicted, double[] confidence, double threshold) {

        static Scores of(List<String> gold, List<String> predicted, double[] confidence, double threshold) {
            return new Scores(gold, predicted, confidence, threshold);
        }

        double accuracy() {
            int right = 0;
            for (int i = 0; i < gold.size(); i++) {
                right += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
            }
            return (double) right / gold.size();
        }

        double f1(String label) {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < gold.size(); i++) {
                boolean isGold = gold.get(i).equals(label);
                boolean isPredicted = predicted.get(i).equals(label);
                tp += isGold && isPredicted ? 1 : 0;
                fp += !isGold && isPredicted ? 1 : 0;
                fn += isGold && !isPredicted ? 1 : 0;
            }
            return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }

        double macroF1() {
            return (f1("IC") + f1("OOC")) / 2;
        }

        double escalationRate() {
            int below = 0;
            for (double c : confidence) {
                below += c < threshold ? 1 : 0;
            }
            return (double) below / confidence.length;
        }

        double keptAccuracy() {
            int kept = 0, right = 0;
            for (int i = 0; i < gold.size(); i++) {
                if (confidence[i] >= threshold) {
                    kept++;
                    right += gold.get(i).equals(predicted.get(i)) ? 1 : 0;
                }
            }
            return kept == 0 ? Double.NaN : (double) right / kept;
        }
    }
}
