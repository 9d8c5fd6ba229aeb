package io.tiergate.classification.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encoder's batching: lines of very different lengths are sorted, split over parallel batches and come back in
 * the caller's order. The model quantizes activations per batch, so a line's vector moves slightly with the lines
 * batched beside it; the checks compare by cosine similarity rather than exact equality.
 */
class SentenceEncoderTest {

    private static SentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.load("all-minilm-l6-v2-q", "cpu", 0, 2, 4);
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        String[] seeds = {"Okay.", "Roll for initiative.", "The dragon lands on the tower and roars at the gathered crowd below.",
                "Can someone pass the pretzels?", "I draw my sword.", "We'll take a ten minute break and be right back after this.",
                "Seventeen.", "The rain stops, and in the sudden silence you hear footsteps on the stairs behind the locked door."};
        for (int i = 0; i < 3; i++) {
            for (String seed : seeds) {
                texts.add(i == 0 ? seed : seed + " " + "again ".repeat(i * 7).trim());
            }
        }
        return texts;
    }

    @Test
    void vectorsComeBackInTheCallersOrderWithUnitLength() {
        List<String> texts = texts();
        float[][] together = encoder.encode(texts, 64);
        assertThat(together.length).isEqualTo(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(norm(together[i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            float[] alone = encoder.encode(List.of(texts.get(i)), 64)[0];
            // Each line's vector is its own (close to the line embedded alone), not a neighbour's.
            int closest = 0;
            for (int j = 1; j < texts.size(); j++) {
                closest = dot(together[j], alone) > dot(together[closest], alone) ? j : closest;
            }
            assertThat(closest).as("line %d: %s", i, texts.get(i)).isEqualTo(i);
            assertThat(dot(together[i], alone)).isGreaterThan(0.9);
        }
    }

    @Test
    void concurrentCallsShareTheWorkers() throws Exception {
        List<String> texts = texts();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                List<String> slice = texts.subList(i % 3, texts.size() - i % 2);
                results.add(callers.submit(() -> encoder.encode(slice, 32)));
            }
            for (int i = 0; i < results.size(); i++) {
                float[][] vectors = results.get(i).get();
                assertThat(vectors.length).isEqualTo(texts.size() - i % 3 - i % 2);
                for (float[] vector : vectors) {
                    assertThat(vector).hasSize(encoder.dimension());
                }
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(encoder.encode(List.of(), 64).length).isZero();
    }

    @Test
    void longLinesAreCutToTheLimitKeepingTheEndMarker() {
        String longLine = "word ".repeat(400);
        assertThat(encoder.embed(List.of(longLine), 1000).tokens()).isEqualTo(256); // the model's own limit
        assertThat(encoder.embed(List.of("Okay."), 1000).tokens()).isEqualTo(4); // [CLS] okay . [SEP]
        SentenceEncoder.Embedded cut = encoder.embed(List.of(longLine, "Okay."), 16);
        assertThat(cut.tokens()).isEqualTo(16 + 4);
        for (float[] vector : cut.vectors()) {
            assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
