package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.LabeledExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local tier's quality on the hand-labelled IC/OOC dev set, by 5-fold cross-validation: each fold is
 * classified with the built-in ic-ooc task plus the other folds' lines as few-shot examples, exactly as a
 * caller would send them. Prints accuracy, macro-F1 and the escalation rate at the default threshold.
 */
class IcOocAccuracyTest {

    private static final int FOLDS = 5;
    private static final double THRESHOLD = 0.7;
    private static final int MAX_TOKENS = 64;
    private static final double L2 = 0.1;

    private static SentenceEncoder encoder;

    @BeforeAll
    static void loadModel() {
        Assumptions.assumeTrue(IcOocDevSet.present(),
                "Skipped: the shared test assets (" + IcOocDevSet.ASSETS.toAbsolutePath().normalize() + ") are not present");
        encoder = SentenceEncoder.load("all-minilm-l6-v2-q", "cpu", 0, 0, 16);
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
    void builtInTaskAloneIsBetterThanTheMajorityLabel() throws Exception {
        IcOocDevSet dev = IcOocDevSet.load();
        TaskModel model = TaskModel.train(BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow(), encoder, MAX_TOKENS, L2);
        List<String> predicted = model.predict(LineFeatures.of(dev.lines(), encoder, MAX_TOKENS)).stream()
                .map(TaskModel.Prediction::label).toList();
        double[] confidence = new double[predicted.size()];
        Scores scores = Scores.of(dev.labels(), predicted, confidence, 0);
        System.out.printf("IC/OOC local tier with the built-in examples only (no dev lines): accuracy %.3f, macro-F1 %.3f%n",
                scores.accuracy(), scores.macroF1());
        assertThat(scores.macroF1()).isGreaterThan(0.5);
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
