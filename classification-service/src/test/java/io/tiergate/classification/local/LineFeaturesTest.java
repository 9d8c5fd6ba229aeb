package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.common.classification.ClassificationInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Who is the game master, as the line features see it, when a request names one and when it does not; and what the
 * features hold for the game master's lines.
 */
class LineFeaturesTest {

    private static final int DIMENSION = 4;
    private static final Function<List<String>, float[][]> CONSTANT = texts -> new float[texts.size()][DIMENSION];
    /** Where the flags of the line's, the previous and the next speaker being the game master start. */
    private static final int GAME_MASTER_FLAGS = 3 * DIMENSION + LineFeatures.SPEAKER_BUCKETS;

    @Test
    void aDiarizedSessionTakesTheSpeakerWhoSaysMostAsTheGameMaster() {
        float[][] features = LineFeatures.of(session(30, "SPEAKER_01", null), DIMENSION, CONSTANT);

        for (int i = 0; i < features.length; i++) {
            assertThat(isGameMaster(features[i])).as("line %d", i).isEqualTo(i % 3 == 1);
            assertThat(previousIsGameMaster(features[i])).as("line %d", i).isEqualTo(i % 3 == 2);
        }
    }

    @Test
    void aNamedGameMasterIsTheOnlyOne() {
        float[][] features = LineFeatures.of(session(30, "SPEAKER_01", "SPEAKER_02"), DIMENSION, CONSTANT);

        for (int i = 0; i < features.length; i++) {
            assertThat(isGameMaster(features[i])).as("line %d", i).isEqualTo(i % 3 == 2);
        }
    }

    @Test
    void aFewLinesSayTooLittleToTellWhoLeads() {
        float[][] features = LineFeatures.of(session(12, "SPEAKER_01", null), DIMENSION, CONSTANT);

        for (float[] row : features) {
            assertThat(isGameMaster(row)).isFalse();
            assertThat(previousIsGameMaster(row)).isFalse();
        }
    }

    @Test
    void theGameMastersLinesCarryTheirEmbeddingTwice() {
        Function<List<String>, float[][]> byLength = texts -> texts.stream()
                .map(text -> new float[] {text.length(), 1, 2, 3}).toArray(float[][]::new);
        float[][] features = LineFeatures.of(session(30, "SPEAKER_01", "SPEAKER_02"), DIMENSION, byLength);

        for (int i = 0; i < features.length; i++) {
            float[] row = features[i];
            float[] copy = Arrays.copyOfRange(row, row.length - DIMENSION, row.length);
            if (i % 3 == 2) {
                assertThat(copy).as("line %d", i).containsExactly(Arrays.copyOfRange(row, 0, DIMENSION));
            } else {
                assertThat(copy).as("line %d", i).containsOnly(0f);
            }
        }
    }

    /**
     * Three speakers taking turns, each line with its neighbours as context; {@code talker} says ten words a line, the
     * others two; {@code gameMaster}, when given, has that role.
     */
    private static List<ClassificationInput> session(int lines, String talker, String gameMaster) {
        List<String> speakers = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String speaker = String.format("SPEAKER_%02d", i % 3);
            speakers.add(speaker);
            texts.add(speaker.equals(talker) ? "the long road winds on through the hills toward town " + i : "okay " + i);
        }
        List<ClassificationInput> inputs = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String before = i == 0 ? null : speakers.get(i - 1) + ": " + texts.get(i - 1);
            String after = i + 1 == lines ? null : speakers.get(i + 1) + ": " + texts.get(i + 1);
            inputs.add(new ClassificationInput(texts.get(i), speakers.get(i), before, after,
                    speakers.get(i).equals(gameMaster) ? "GM" : null));
        }
        return inputs;
    }

    private static boolean isGameMaster(float[] row) {
        return row[GAME_MASTER_FLAGS] > 0;
    }

    private static boolean previousIsGameMaster(float[] row) {
        return row[GAME_MASTER_FLAGS + 1] > 0;
    }
}
