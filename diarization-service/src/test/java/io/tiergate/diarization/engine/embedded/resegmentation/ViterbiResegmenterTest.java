package io.tiergate.diarization.engine.embedded.resegmentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ViterbiResegmenterTest {

    @Test
    void framesMislabelledNearATurnGoToTheSpeakerTheySoundLike() {
        Random random = new Random(5);
        // Speaker 0 for frames 0-399 and 800-999, speaker 1 for 400-799; frames 1000-1099 are not speech.
        double[][] frames = new double[1100][6];
        int[] truth = new int[1100];
        for (int f = 0; f < frames.length; f++) {
            truth[f] = f >= 1000 ? -1 : f >= 400 && f < 800 ? 1 : 0;
            for (int d = 0; d < 6; d++) {
                frames[f][d] = random.nextGaussian() + (truth[f] == 1 ? 1.5 : 0);
            }
        }
        // The clustering put the turn 60 frames late, and a stray second inside speaker 1's turn.
        int[] labels = truth.clone();
        Arrays.fill(labels, 400, 460, 0);
        Arrays.fill(labels, 600, 640, 0);

        int[] refined = new ViterbiResegmenter(4, 5, 3, 30, 1).resegment(frames, labels, 2);

        int wrong = 0;
        for (int f = 0; f < refined.length; f++) {
            wrong += refined[f] != truth[f] ? 1 : 0;
        }
        assertThat(wrong).as("frames still wrong of the 100 mislabelled").isLessThan(10);
        assertThat(Arrays.copyOfRange(refined, 1000, 1100)).containsOnly(-1);
    }
}
