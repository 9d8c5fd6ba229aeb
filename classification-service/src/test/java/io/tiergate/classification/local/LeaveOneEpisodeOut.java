package io.tiergate.classification.local;

import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.BuiltInTasks.LabelledEpisode;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.Conversation;
import io.tiergate.common.classification.LabeledExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Leave-one-episode-out evaluation of the ic-ooc task: each labelled episode in turn is classified by a model trained on
 * the built-in invented examples and the other episodes' lines and conversations, so no test line's episode (its cast of NPCs, its scenes,
 * its sponsor) is ever seen in training. Within-episode cross-validation scores far higher and says little about the next
 * session.
 */
final class LeaveOneEpisodeOut {

    private LeaveOneEpisodeOut() {}

    /** Every turn of an episode's conversations, one after the other, as a transcript is sent whole. */
    static List<LabeledExample> transcript(LabelledEpisode episode) {
        return episode.conversations().stream().flatMap(conversation -> conversation.turns().stream()).toList();
    }

    /**
     * A way to send an episode: which of its turns are sent (labelled or not; only the labelled ones are scored), and
     * how a caller would send them (e.g. diarized speakers, no context).
     */
    record Way(Function<LabelledEpisode, List<LabeledExample>> turns, UnaryOperator<List<ClassificationInput>> asSent) {}

    /**
     * The predictions for every episode's labelled lines, for each way of sending them. {@code train} trains a model on
     * a task; one model is trained per held-out episode, on the invented examples and the other episodes' lines and
     * conversations, and classifies the held-out episode every way. The episodes are held out on the cores at once: a
     * model's training leaves a core idle while its last line model is fitted.
     */
    static Map<String, Map<String, Outcome>> run(Map<String, LabelledEpisode> episodes,
            Function<ClassificationTask, Function<List<ClassificationInput>, List<TaskModel.Prediction>>> train,
            Map<String, Way> ways) {
        List<String> heldOut = List.copyOf(episodes.keySet());
        List<Map<String, Outcome>> byEpisode = heldOut.parallelStream()
                .map(episode -> heldOut(episode, episodes, train, ways)).toList();
        Map<String, Map<String, Outcome>> outcomes = new LinkedHashMap<>();
        ways.keySet().forEach(way -> outcomes.put(way, new LinkedHashMap<>()));
        for (int i = 0; i < heldOut.size(); i++) {
            String episode = heldOut.get(i);
            byEpisode.get(i).forEach((way, outcome) -> outcomes.get(way).put(episode, outcome));
        }
        return outcomes;
    }

    /** Each way's outcome on episode {@code heldOut}, classified by a model trained on the others. */
    private static Map<String, Outcome> heldOut(String heldOut, Map<String, LabelledEpisode> episodes,
            Function<ClassificationTask, Function<List<ClassificationInput>, List<TaskModel.Prediction>>> train,
            Map<String, Way> ways) {
        List<LabeledExample> training = new ArrayList<>(BuiltInTasks.icOocInventedExamples());
        List<Conversation> conversations = new ArrayList<>();
        episodes.forEach((name, other) -> {
            if (!name.equals(heldOut)) {
                training.addAll(other.lines());
                conversations.addAll(other.conversations());
            }
        });
        Function<List<ClassificationInput>, List<TaskModel.Prediction>> model = train.apply(icOocTrainedOn(training, conversations));
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        ways.forEach((name, way) -> {
            List<LabeledExample> sent = way.turns().apply(episodes.get(heldOut));
            List<TaskModel.Prediction> predicted = model.apply(way.asSent().apply(sent.stream().map(LabeledExample::asInput).toList()));
            List<String> gold = new ArrayList<>();
            List<TaskModel.Prediction> scored = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                if (sent.get(i).label() != null) {
                    gold.add(sent.get(i).label());
                    scored.add(predicted.get(i));
                }
            }
            outcomes.put(name, new Outcome(gold, scored));
        });
        return outcomes;
    }

    /** The ic-ooc task as shipped, with {@code examples} and {@code conversations} in place of its own. */
    static ClassificationTask icOocTrainedOn(List<LabeledExample> examples, List<Conversation> conversations) {
        ClassificationTask shipped = BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow();
        return new ClassificationTask(shipped.name(), shipped.instructions(), shipped.labels(), examples, conversations);
    }

    /** The gold labels of some lines and what was predicted for them. */
    record Outcome(List<String> gold, List<TaskModel.Prediction> predictions) {

        static Outcome pooled(Iterable<Outcome> outcomes) {
            List<String> gold = new ArrayList<>();
            List<TaskModel.Prediction> predictions = new ArrayList<>();
            outcomes.forEach(outcome -> {
                gold.addAll(outcome.gold());
                predictions.addAll(outcome.predictions());
            });
            return new Outcome(gold, predictions);
        }

        private boolean right(int i) {
            return gold.get(i).equals(predictions.get(i).label());
        }

        double accuracy() {
            int right = 0;
            for (int i = 0; i < gold.size(); i++) {
                right += right(i) ? 1 : 0;
            }
            return (double) right / gold.size();
        }

        double f1(String label) {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < gold.size(); i++) {
                boolean isGold = gold.get(i).equals(label);
                boolean isPredicted = predictions.get(i).label().equals(label);
                tp += isGold && isPredicted ? 1 : 0;
                fp += !isGold && isPredicted ? 1 : 0;
                fn += isGold && !isPredicted ? 1 : 0;
            }
            return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }

        double macroF1() {
            return gold.stream().distinct().mapToDouble(this::f1).average().orElse(0);
        }

        /** Share of lines under {@code threshold}, which the cascade sends to the LLM tier. */
        double escalationRate(double threshold) {
            return predictions.stream().filter(p -> p.confidence() < threshold).count() / (double) gold.size();
        }

        /** Accuracy on the lines at or over {@code threshold}, which the local tier decides. */
        double keptAccuracy(double threshold) {
            int kept = 0, right = 0;
            for (int i = 0; i < gold.size(); i++) {
                if (predictions.get(i).confidence() >= threshold) {
                    kept++;
                    right += right(i) ? 1 : 0;
                }
            }
            return kept == 0 ? Double.NaN : (double) right / kept;
        }

        String summary(double threshold) {
            return String.format("%d lines: accuracy %s, macro-F1 %s; at threshold %s %s escalate, accuracy on the rest %s", gold.size(),
                    accuracy(), macroF1(), threshold, escalationRate(threshold), keptAccuracy(threshold));
        }

        /**
         * The reliability curve: {@code bins} equal bins of confidence from 1/2 (a two-label guess) to 1, each with its
         * mean confidence, accuracy and number of lines.
         */
        String reliability(int bins) {
            double[] confidence = new double[bins];
            int[] right = new int[bins];
            int[] count = new int[bins];
            for (int i = 0; i < gold.size(); i++) {
                double c = predictions.get(i).confidence();
                int bin = Math.min(bins - 1, Math.max(0, (int) ((c - 0.5) / 0.5 * bins)));
                confidence[bin] += c;
                right[bin] += right(i) ? 1 : 0;
                count[bin]++;
            }
            StringBuilder table = new StringBuilder("confidence bin | mean confidence | accuracy | lines\n");
            double calibrationError = 0;
            for (int b = 0; b < bins; b++) {
                table.append(String.format("%.2f-%.2f | %s | %s | %d%n", 0.5 + 0.5 * b / bins, 0.5 + 0.5 * (b + 1) / bins,
                        count[b] == 0 ? "-" : String.format("%.3f", confidence[b] / count[b]),
                        count[b] == 0 ? "-" : String.format("%.3f", (double) right[b] / count[b]), count[b]));
                calibrationError += Math.abs(confidence[b] - right[b]) / gold.size();
            }
            return table.append(String.format("expected calibration error %.4f%n", calibrationError)).toString();
        }
    }
}
