package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import io.tiergate.classification.config.ClassificationConfig;
import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.LabelDefinition;
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
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local tier's quality on IC/OOC lines of episodes it has never seen, with the pod's default settings (read from
 * {@link ClassificationConfig}'s defaults): {@link LeaveOneEpisodeOut} over the twenty-two hand-labelled Critical Role
 * episodes, each classified by the ic-ooc task trained on its invented examples and the other twenty-one episodes
 * (their lines and the stretches of transcript they were labelled in). Lines are sent six ways: with speaker names (and
 * the game master's role) or with diarization labels and no role, as the session pipeline sends them; and as whole
 * transcripts (every turn of the labelled stretches in order, each with its neighbours as context, so the conversation
 * pass runs), as the labelled lines alone with their neighbours as context, or as the lines alone without context.
 * Each prints accuracy, macro-F1 and, at the cascade threshold, the escalation rate and the accuracy on the lines kept,
 * per held-out episode and pooled.
 */
class IcOocAccuracyTest {

    private static final double THRESHOLD = defaultOf(ClassificationConfig.Cascade.class, "threshold");
    private static final int MAX_TOKENS = (int) defaultOf(ClassificationConfig.Local.class, "classificationMaxTokens");
    private static final double L2 = defaultOf(ClassificationConfig.Local.class, "l2");
    private static final int BATCH = (int) defaultOf(ClassificationConfig.Local.class, "batchSize");
    private static final String MODEL = defaultString(ClassificationConfig.Local.class, "model");

    private static SentenceEncoder encoder;
    private static EmbeddingCache embeddings;
    private static Map<String, BuiltInTasks.LabelledEpisode> episodes;

    @BeforeAll
    static void loadModel() throws Exception {
        Assumptions.assumeTrue(IcOocEpisodes.present(),
                "Skipped: the shared test assets (" + IcOocEpisodes.ASSETS.toAbsolutePath().normalize() + ") are not present");
        encoder = SentenceEncoder.load(MODEL, "cpu", 0, 0, BATCH);
        embeddings = new EmbeddingCache(texts -> encoder.encode(texts, MAX_TOKENS));
        episodes = IcOocEpisodes.all();
    }

    @AfterAll
    static void close() throws Exception {
        if (encoder != null) {
            encoder.close();
        }
    }

    @Test
    void localTierOnEpisodesItHasNeverSeen() {
        Map<String, LeaveOneEpisodeOut.Way> sent = new LinkedHashMap<>();
        UnaryOperator<List<ClassificationInput>> asIs = lines -> lines;
        UnaryOperator<List<ClassificationInput>> noContext = IcOocEpisodes::withoutContext;
        sent.put("speaker names, whole transcript", new LeaveOneEpisodeOut.Way(LeaveOneEpisodeOut::transcript, asIs));
        sent.put("speaker names, lines with context", new LeaveOneEpisodeOut.Way(BuiltInTasks.LabelledEpisode::lines, asIs));
        sent.put("speaker names, no context", new LeaveOneEpisodeOut.Way(BuiltInTasks.LabelledEpisode::lines, noContext));
        sent.put("diarized speakers, whole transcript",
                new LeaveOneEpisodeOut.Way(LeaveOneEpisodeOut::transcript, IcOocEpisodes::diarized));
        sent.put("diarized speakers, lines with context",
                new LeaveOneEpisodeOut.Way(BuiltInTasks.LabelledEpisode::lines, IcOocEpisodes::diarized));
        sent.put("diarized speakers, no context", new LeaveOneEpisodeOut.Way(BuiltInTasks.LabelledEpisode::lines,
                lines -> IcOocEpisodes.withoutContext(IcOocEpisodes.diarized(lines))));
        Map<String, LeaveOneEpisodeOut.Outcome> pooled = new LinkedHashMap<>();
        LeaveOneEpisodeOut.run(episodes, IcOocAccuracyTest::train, sent).forEach((way, outcomes) -> {
            LeaveOneEpisodeOut.Outcome all = LeaveOneEpisodeOut.Outcome.pooled(outcomes.values());
            pooled.put(way, all);
            System.out.printf("IC/OOC local tier (%s), leave-one-episode-out, %s:%n", MODEL, way);
            outcomes.forEach((episode, outcome) -> System.out.printf("  held out %s, %s%n", episode, outcome.summary(THRESHOLD)));
            System.out.printf("  pooled, %s%n", all.summary(THRESHOLD));
        });
        for (String way : List.of("speaker names, whole transcript", "diarized speakers, whole transcript",
                "speaker names, lines with context", "diarized speakers, lines with context")) {
            System.out.printf("Reliability, %s:%n%s", way, pooled.get(way).reliability(10));
        }

        // Measured pooled over 12,363 lines, accuracy / macro-F1: whole transcripts 0.8561 / 0.8292 with names,
        // 0.8547 / 0.8284 diarized; lines with context 0.8324 / 0.8046 and 0.8314 / 0.8043; no context 0.7822 / 0.7454
        // and 0.7759 / 0.7411. The floors leave about 40 lines, and keep the target (0.85 accuracy, 0.80
        // macro-F1) for whole transcripts.
        assertThat(pooled.get("speaker names, whole transcript").accuracy()).isGreaterThanOrEqualTo(0.852);
        assertThat(pooled.get("speaker names, whole transcript").macroF1()).isGreaterThanOrEqualTo(0.825);
        assertThat(pooled.get("diarized speakers, whole transcript").accuracy()).isGreaterThanOrEqualTo(0.851);
        assertThat(pooled.get("diarized speakers, whole transcript").macroF1()).isGreaterThanOrEqualTo(0.824);
        assertThat(pooled.get("speaker names, lines with context").accuracy()).isGreaterThanOrEqualTo(0.829);
        assertThat(pooled.get("speaker names, lines with context").macroF1()).isGreaterThanOrEqualTo(0.801);
        assertThat(pooled.get("diarized speakers, lines with context").accuracy()).isGreaterThanOrEqualTo(0.828);
        assertThat(pooled.get("diarized speakers, lines with context").macroF1()).isGreaterThanOrEqualTo(0.800);
    }

    private static Function<List<ClassificationInput>, List<TaskModel.Prediction>> train(ClassificationTask task) {
        TaskModel model = TaskModel.train(task, encoder.dimension(), embeddings, L2);
        return lines -> model.predict(lines, LineFeatures.of(lines, encoder.dimension(), embeddings));
    }

    /**
     * Why the local tier uses logistic regression: on the same features, held out by episode the same way, it is compared
     * with the two other usual choices, nearest centroid and cosine kNN (k = 5), and must not be beaten by either.
     */
    @Test
    void logisticRegressionIsTheBestOfTheMeasuredClassifiers() {
        ClassificationTask icOoc = BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow();
        List<String> labels = icOoc.labelNames();
        Map<String, BiFunction<float[][], int[], ToIntFunction<float[]>>> classifiers = new LinkedHashMap<>();
        classifiers.put("logistic regression", (x, y) -> {
            SoftmaxRegression regression = SoftmaxRegression.fit(x, y, labels.size(), L2);
            return row -> argmax(regression.predict(row));
        });
        classifiers.put("nearest centroid", (x, y) -> nearestCentroid(x, y, labels.size()));
        classifiers.put("kNN (k=5)", (x, y) -> nearestNeighbours(x, y, labels.size(), 5));
        Map<String, Double> accuracy = new LinkedHashMap<>();
        classifiers.forEach((name, fit) -> accuracy.put(name, LeaveOneEpisodeOut.Outcome.pooled(LeaveOneEpisodeOut.run(episodes, task -> {
            List<ClassificationInput> inputs = new ArrayList<>();
            List<Integer> targets = new ArrayList<>();
            for (LabelDefinition label : icOoc.labels()) {
                inputs.add(ClassificationInput.of(label.description()));
                targets.add(labels.indexOf(label.name()));
            }
            task.examples().forEach(example -> {
                inputs.add(example.asInput());
                targets.add(labels.indexOf(example.label()));
            });
            ToIntFunction<float[]> model = fit.apply(LineFeatures.of(inputs, encoder.dimension(), embeddings),
                    targets.stream().mapToInt(Integer::intValue).toArray());
            return lines -> Arrays.stream(LineFeatures.of(lines, encoder.dimension(), embeddings))
                    .map(row -> new TaskModel.Prediction(labels.get(model.applyAsInt(row)), 1)).toList();
        }, Map.of("as labelled", new LeaveOneEpisodeOut.Way(BuiltInTasks.LabelledEpisode::lines, lines -> lines)))
                .get("as labelled").values()).accuracy()));
        System.out.print("IC/OOC local classifiers, leave-one-episode-out accuracy on the same features:");
        accuracy.forEach((name, value) -> System.out.printf(" %s %.4f;", name, value));
        System.out.println();

        assertThat(accuracy.get("logistic regression"))
                .isGreaterThanOrEqualTo(accuracy.get("nearest centroid"))
                .isGreaterThanOrEqualTo(accuracy.get("kNN (k=5)"));
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
        float[][] unit = Arrays.stream(x).map(IcOocAccuracyTest::unitLength).toArray(float[][]::new);
        return row -> {
            float[] query = unitLength(row);
            // The k most similar rows, most similar first.
            int[] nearest = new int[k];
            double[] similarity = new double[k];
            Arrays.fill(similarity, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < x.length; i++) {
                double dot = 0;
                for (int j = 0; j < query.length; j++) {
                    dot += unit[i][j] * query[j];
                }
                int at = k;
                while (at > 0 && dot > similarity[at - 1]) {
                    at--;
                }
                if (at < k) {
                    System.arraycopy(similarity, at, similarity, at + 1, k - at - 1);
                    System.arraycopy(nearest, at, nearest, at + 1, k - at - 1);
                    similarity[at] = dot;
                    nearest[at] = i;
                }
            }
            double[] votes = new double[classes];
            for (int i = 0; i < k; i++) {
                votes[y[nearest[i]]] += similarity[i];
            }
            return argmax(votes);
        };
    }

    private static float[] unitLength(float[] values) {
        double norm = 0;
        for (float v : values) {
            norm += v * v;
        }
        float[] unit = new float[values.length];
        for (int j = 0; j < values.length && norm > 0; j++) {
            unit[j] = (float) (values[j] / Math.sqrt(norm));
        }
        return unit;
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
        // No invented example may be a line of the dev set's episode: held out, that episode must stay unseen data.
        Set<String> episode = new HashSet<>();
        for (String line : IcOocEpisodes.devEpisodeTexts()) {
            episode.add(normalized(line));
        }
        for (LabeledExample example : BuiltInTasks.icOocInventedExamples()) {
            if (normalized(example.text()).split(" ").length >= 4) {
                assertThat(episode).as(example.text()).doesNotContain(normalized(example.text()));
            }
        }
    }

    private static String normalized(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim().replaceAll(" +", " ");
    }

    private static double defaultOf(Class<?> settings, String name) {
        return Double.parseDouble(defaultString(settings, name));
    }

    private static String defaultString(Class<?> settings, String name) {
        try {
            return settings.getMethod(name).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
