package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.Conversation;
import io.tiergate.common.classification.LabelDefinition;
import io.tiergate.common.classification.LabeledExample;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The second pass over lines sent as a conversation, on a task whose short replies ("Okay.") are said in both kinds
 * of scene: only the lines around them tell which. Embeddings are word hashes, so no model is needed.
 */
class ConversationModelTest {

    private static final int DIMENSION = 64;
    private static final Function<List<String>, float[][]> WORD_HASHES = texts -> texts.stream().map(ConversationModelTest::hashed)
            .toArray(float[][]::new);
    private static final List<String> FORMAL = List.of("the council will now hear the petition", "the treaty binds both kingdoms",
            "the envoy presents the sealed letter", "the court rises for the queen");
    private static final List<String> CASUAL = List.of("lol did you see that game", "grab me a soda from the fridge",
            "my cat knocked over the lamp", "who wants pizza tonight");
    private static final List<String> REPLIES = List.of("Yeah.", "Okay.", "Sure.");
    /** The middle reply: its own neighbours are replies too, so only the lines further away tell its scene. */
    private static final int MIDDLE_REPLY = 3;

    @Test
    void aShortReplyTakesTheLabelOfTheSceneItIsSentIn() {
        TaskModel model = TaskModel.train(task(), DIMENSION, WORD_HASHES, 1.0);

        List<ClassificationInput> formal = sent(scene("FORMAL", FORMAL, 0));
        List<ClassificationInput> casual = sent(scene("CASUAL", CASUAL, 1));
        assertThat(predict(model, formal).get(MIDDLE_REPLY).label()).isEqualTo("FORMAL");
        assertThat(predict(model, casual).get(MIDDLE_REPLY).label()).isEqualTo("CASUAL");

        // Alone, or among lines that are not its neighbours, the reply is decided by its words only, the same either way.
        ClassificationInput reply = formal.get(MIDDLE_REPLY);
        List<ClassificationInput> unlinked = List.of(ClassificationInput.of(CASUAL.get(0)), reply, ClassificationInput.of(CASUAL.get(1)));
        assertThat(predict(model, unlinked).get(1)).isEqualTo(predict(model, List.of(reply)).get(0));
    }

    @Test
    void manyRecordingsAreHeldOutInFiveGroupsEachScoredByALineModelThatNeverSawIt() {
        List<LabeledExample> examples = new ArrayList<>();
        List<Conversation> conversations = new ArrayList<>();
        for (int recording = 0; recording < 8; recording++) {
            List<LabeledExample> turns = new ArrayList<>();
            for (int line = 0; line < 4; line++) {
                turns.add(new LabeledExample("recording " + recording + " line " + line, "ANN", null, null, null,
                        line % 2 == 0 ? "FORMAL" : "CASUAL"));
            }
            examples.addAll(turns);
            conversations.add(new Conversation("recording-" + recording, turns));
        }
        List<Integer> trainedOn = new ArrayList<>();
        List<String> scoredAfterTraining = new ArrayList<>();
        ConversationModel.train(examples, conversations, List.of("FORMAL", "CASUAL"), training -> {
            synchronized (trainedOn) {
                trainedOn.add(training.size());
            }
            List<String> seen = training.stream().map(LabeledExample::text).toList();
            return inputs -> {
                inputs.stream().map(ClassificationInput::text).filter(seen::contains).forEach(text -> {
                    synchronized (scoredAfterTraining) {
                        scoredAfterTraining.add(text);
                    }
                });
                return inputs.stream().map(input -> new double[] {0.5, 0.5}).toArray(double[][]::new);
            };
        }, 1.0);

        // Eight recordings in five groups: three groups of two, two of one; a line model each, none scoring what it learnt.
        assertThat(trainedOn).containsExactlyInAnyOrder(24, 24, 24, 28, 28);
        assertThat(scoredAfterTraining).isEmpty();
    }

    @Test
    void consecutiveInputsAreTheOnesThatNameEachOtherAsContext() {
        List<ClassificationInput> inputs = List.of(
                new ClassificationInput("one", "A", null, "B: two", null),
                new ClassificationInput("two", "B", "A: one", null, null),
                new ClassificationInput("three", "A", "B: two", null, null),
                new ClassificationInput("four", "A", null, null, null),
                new ClassificationInput("five", "B", null, "six", null),
                new ClassificationInput("six", "C", null, null, null));

        assertThat(ConversationModel.runEnds(inputs)).containsExactly(3, 3, 3, 4, 6, 6);
    }

    /** Two labels; every scene of either kind has the same short replies in its middle; scenes from two recordings. */
    private static ClassificationTask task() {
        List<LabeledExample> examples = new ArrayList<>();
        List<Conversation> conversations = new ArrayList<>();
        for (int recording = 0; recording < 2; recording++) {
            for (int scene = 0; scene < 6; scene++) {
                for (String label : List.of("FORMAL", "CASUAL")) {
                    List<LabeledExample> turns = scene(label, label.equals("FORMAL") ? FORMAL : CASUAL, scene + recording);
                    examples.addAll(turns);
                    conversations.add(new Conversation("recording-" + recording, turns));
                }
            }
        }
        return new ClassificationTask("scenes", "", List.of(new LabelDefinition("FORMAL", "a formal scene"),
                new LabelDefinition("CASUAL", "a casual chat")), examples, conversations);
    }

    /** Seven turns: two lines of the scene, three short replies, two more lines; each with its neighbours as context. */
    private static List<LabeledExample> scene(String label, List<String> lines, int rotation) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            texts.add(lines.get((i + rotation) % lines.size()));
        }
        texts.addAll(2, REPLIES);
        List<LabeledExample> turns = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String speaker = i % 2 == 0 ? "ANN" : "BOB";
            String before = i > 0 ? (i % 2 == 1 ? "ANN" : "BOB") + ": " + texts.get(i - 1) : null;
            String after = i + 1 < texts.size() ? (i % 2 == 1 ? "ANN" : "BOB") + ": " + texts.get(i + 1) : null;
            turns.add(new LabeledExample(texts.get(i), speaker, before, after, null, label));
        }
        return turns;
    }

    private static List<ClassificationInput> sent(List<LabeledExample> turns) {
        return turns.stream().map(LabeledExample::asInput).toList();
    }

    private static List<TaskModel.Prediction> predict(TaskModel model, List<ClassificationInput> inputs) {
        return model.predict(inputs, LineFeatures.of(inputs, DIMENSION, WORD_HASHES));
    }

    private static float[] hashed(String text) {
        float[] vector = new float[DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!word.isEmpty()) {
                CRC32 crc = new CRC32();
                crc.update(word.getBytes(StandardCharsets.UTF_8));
                vector[(int) (crc.getValue() % DIMENSION)] += 1;
            }
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] /= (float) Math.max(1e-9, Math.sqrt(norm));
        }
        return vector;
    }
}
