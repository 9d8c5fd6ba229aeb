package io.tiergate.classification.local;

import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.Conversation;
import io.tiergate.common.classification.LabeledExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * The second pass over a conversation: each line's label probabilities are decided again from its own and its
 * neighbours' first-pass probabilities. Many lines ("Yeah.", "What's that?") take their label from the situation, not
 * their words, and the lines around them say what the situation is.
 *
 * <p>It is trained on the task's {@link Conversation}s as it will be used: each recording's lines are scored by a
 * line model trained without that recording (nor the others of its group, see {@link #MAX_FOLDS}; so the second pass
 * learns how far to trust first-pass mistakes on unseen recordings, not on lines the line model has learnt by heart),
 * and a logistic regression learns from those scores and the recording's labels.
 */
final class ConversationModel {

    /** Neighbours whose probabilities are features one by one, in this order. */
    private static final int[] OFFSETS = {-1, 1, -2, 2, -3, 3};
    /** Neighbours on each side whose mean log-probabilities are features too: the scene the line is in. */
    private static final int SCENE_REACH = 10;
    private static final double FLOOR = 1e-4;
    /**
     * Recordings are held out in at most this many groups, each scored by a line model trained without its group: a line
     * model per recording would make training grow with the square of the recordings.
     */
    private static final int MAX_FOLDS = 5;

    private final int labels;
    private final SoftmaxRegression regression;

    private ConversationModel(int labels, SoftmaxRegression regression) {
        this.labels = labels;
        this.regression = regression;
    }

    /**
     * The second pass for a task, or {@code null} when its conversations come from fewer than two recordings (a line
     * model cannot then be tried on a recording it has not seen).
     *
     * @param examples     the task's examples, which hold the conversations' labelled lines
     * @param fitLines     trains a line model on examples; it gives each input's label probabilities
     * @param labelNames   the task's labels, in the order of the probabilities
     */
    static ConversationModel train(List<LabeledExample> examples, List<Conversation> conversations, List<String> labelNames,
            Function<List<LabeledExample>, Function<List<ClassificationInput>, double[][]>> fitLines, double l2) {
        List<String> sources = conversations.stream().map(Conversation::source).distinct().sorted().toList();
        if (sources.size() < 2) {
            return null;
        }
        int labels = labelNames.size();
        int folds = Math.min(MAX_FOLDS, sources.size());
        // Each fold's line model is independent of the others': they are fitted on the cores at once.
        List<List<Scored>> byFold = IntStream.range(0, folds).parallel().mapToObj(fold -> {
            Set<String> heldOutSources = new HashSet<>();
            for (int i = fold; i < sources.size(); i += folds) {
                heldOutSources.add(sources.get(i));
            }
            List<Conversation> heldOut = conversations.stream().filter(c -> heldOutSources.contains(c.source())).toList();
            Function<List<ClassificationInput>, double[][]> lineModel = fitLines.apply(without(examples, heldOut));
            List<Scored> scored = new ArrayList<>();
            for (Conversation conversation : heldOut) {
                List<LabeledExample> turns = conversation.turns();
                double[][] probabilities = lineModel.apply(turns.stream().map(LabeledExample::asInput).toList());
                for (int i = 0; i < turns.size(); i++) {
                    int target = labelNames.indexOf(turns.get(i).label());
                    if (target >= 0) {
                        boolean isShort = LineCues.isShort(turns.get(i).text());
                        scored.add(new Scored(features(probabilities, isShort, i, 0, turns.size(), labels), target));
                    }
                }
            }
            return scored;
        }).toList();
        List<Scored> all = byFold.stream().flatMap(List::stream).toList();
        return new ConversationModel(labels, SoftmaxRegression.fit(all.stream().map(Scored::features).toArray(float[][]::new),
                all.stream().mapToInt(Scored::target).toArray(), labels, l2));
    }

    /** A labelled turn's second-pass features, from a line model that never saw its recording. */
    private record Scored(float[] features, int target) {}

    /**
     * The examples less the conversations' labelled turns, each taken out once: the same line (text, speaker,
     * neighbours and label) said in another recording stays.
     */
    private static List<LabeledExample> without(List<LabeledExample> examples, List<Conversation> conversations) {
        Map<LabeledExample, Integer> left = new HashMap<>();
        conversations.forEach(conversation -> conversation.turns().stream().filter(turn -> turn.label() != null)
                .forEach(turn -> left.merge(turn, 1, Integer::sum)));
        List<LabeledExample> kept = new ArrayList<>(examples.size());
        for (LabeledExample example : examples) {
            if (left.getOrDefault(example, 0) > 0) {
                left.merge(example, -1, Integer::sum);
            } else {
                kept.add(example);
            }
        }
        return kept;
    }

    /**
     * The lines' probabilities after the second pass. Only lines sent as a conversation get one: consecutive inputs
     * each of which names the other as its context (see {@link #runEnds}); a line sent on its own keeps its first-pass
     * probabilities.
     */
    double[][] refine(List<ClassificationInput> inputs, double[][] probabilities) {
        double[][] refined = probabilities.clone();
        int[] runEnds = runEnds(inputs);
        for (int start = 0; start < inputs.size(); start = runEnds[start]) {
            int end = runEnds[start];
            if (end - start < 2) {
                continue;
            }
            for (int i = start; i < end; i++) {
                boolean isShort = LineCues.isShort(inputs.get(i).text());
                refined[i] = regression.predict(features(probabilities, isShort, i, start, end, labels));
            }
        }
        return refined;
    }

    /**
     * Where each input's conversation ends (exclusive): inputs {@code i} and {@code i + 1} are consecutive lines of one
     * conversation when the later one's context is the earlier one's text, or the earlier one's context after is the
     * later one's text, as callers send a transcript whole with each line's neighbours as its context.
     */
    static int[] runEnds(List<ClassificationInput> inputs) {
        int[] ends = new int[inputs.size()];
        int end = inputs.size();
        for (int i = inputs.size() - 1; i >= 0; i--) {
            if (i + 1 < inputs.size() && !follows(inputs.get(i), inputs.get(i + 1))) {
                end = i + 1;
            }
            ends[i] = end;
        }
        return ends;
    }

    private static boolean follows(ClassificationInput earlier, ClassificationInput later) {
        return Objects.equals(LineFeatures.turnText(later.context()), earlier.text())
                || Objects.equals(LineFeatures.turnText(earlier.contextAfter()), later.text());
    }

    /**
     * The line's log-probabilities, each neighbour's of {@link #OFFSETS} (zero where the conversation has none there),
     * whether each neighbour is there, and the mean log-probabilities of the lines within {@link #SCENE_REACH}; for a
     * {@linkplain LineCues#isShort short} line, all of them once more and a flag. A linear model weighs a feature the
     * same for every line, but a short line's own words say little and its neighbours much, a long line's the other way
     * round: the copy lets the regression learn each weighting.
     */
    private static float[] features(double[][] probabilities, boolean isShort, int line, int start, int end, int labels) {
        int size = (OFFSETS.length + 2) * labels + OFFSETS.length;
        float[] row = new float[2 * size + 1];
        writeLog(probabilities[line], row, 0);
        for (int k = 0; k < OFFSETS.length; k++) {
            int neighbour = line + OFFSETS[k];
            if (neighbour >= start && neighbour < end) {
                writeLog(probabilities[neighbour], row, (k + 1) * labels);
                row[(OFFSETS.length + 1) * labels + k] = 1;
            }
        }
        int sceneOffset = (OFFSETS.length + 1) * labels + OFFSETS.length;
        int from = Math.max(start, line - SCENE_REACH);
        int to = Math.min(end - 1, line + SCENE_REACH);
        int count = to - from;
        for (int j = from; j <= to && count > 0; j++) {
            if (j != line) {
                for (int c = 0; c < labels; c++) {
                    row[sceneOffset + c] += (float) (Math.log(Math.max(FLOOR, probabilities[j][c])) / count);
                }
            }
        }
        if (isShort) {
            System.arraycopy(row, 0, row, size, size);
            row[2 * size] = 1;
        }
        return row;
    }

    private static void writeLog(double[] probabilities, float[] row, int offset) {
        for (int c = 0; c < probabilities.length; c++) {
            row[offset + c] = (float) Math.log(Math.max(FLOOR, probabilities[c]));
        }
    }
}
