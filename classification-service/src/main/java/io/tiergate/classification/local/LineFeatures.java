package io.tiergate.classification.local;

import io.tiergate.common.classification.ClassificationInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Turns lines into classifier features: the embedding of the line, the embedding of its context (zeros when
 * there is none) and the speaker hashed into a few buckets. Who speaks and what came just before decide many
 * short lines ("Okay.") that the text alone cannot. Every distinct text is embedded once per call.
 */
public final class LineFeatures {

    static final int SPEAKER_BUCKETS = 32;
    private static final float SPEAKER_WEIGHT = 0.3f;

    private LineFeatures() {}

    public static int dimension(SentenceEncoder encoder) {
        return 2 * encoder.dimension() + SPEAKER_BUCKETS;
    }

    public static float[][] of(List<ClassificationInput> lines, SentenceEncoder encoder, int maxTokens) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (ClassificationInput line : lines) {
            distinct.putIfAbsent(line.text(), distinct.size());
            if (hasText(line.context())) {
                distinct.putIfAbsent(line.context(), distinct.size());
            }
        }
        float[][] embeddings = encoder.encode(new ArrayList<>(distinct.keySet()), maxTokens);
        int size = encoder.dimension();
        float[][] features = new float[lines.size()][];
        for (int i = 0; i < lines.size(); i++) {
            ClassificationInput line = lines.get(i);
            float[] row = new float[2 * size + SPEAKER_BUCKETS];
            System.arraycopy(embeddings[distinct.get(line.text())], 0, row, 0, size);
            if (hasText(line.context())) {
                System.arraycopy(embeddings[distinct.get(line.context())], 0, row, size, size);
            }
            if (hasText(line.speaker())) {
                for (String speaker : line.speaker().split(",")) {
                    if (!speaker.isBlank()) {
                        row[2 * size + bucket(speaker)] = SPEAKER_WEIGHT;
                    }
                }
            }
            features[i] = row;
        }
        return features;
    }

    private static int bucket(String speaker) {
        CRC32 crc = new CRC32();
        crc.update(speaker.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SPEAKER_BUCKETS);
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
