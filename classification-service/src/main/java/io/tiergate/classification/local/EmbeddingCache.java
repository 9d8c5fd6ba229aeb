package io.tiergate.classification.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Embeds each distinct text once across calls: training a task fits several line models on overlapping examples, and an
 * evaluation trains and tests many models on the same lines. Thread-safe; holds every vector it made, so it lives as
 * long as the work that shares them.
 */
final class EmbeddingCache implements Function<List<String>, float[][]> {

    private final Function<List<String>, float[][]> embed;
    private final Map<String, float[]> vectors = new HashMap<>();

    EmbeddingCache(Function<List<String>, float[][]> embed) {
        this.embed = embed;
    }

    @Override
    public synchronized float[][] apply(List<String> texts) {
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
        missing.removeIf(vectors::containsKey);
        if (!missing.isEmpty()) {
            float[][] encoded = embed.apply(missing);
            for (int i = 0; i < missing.size(); i++) {
                vectors.put(missing.get(i), encoded[i]);
            }
        }
        return texts.stream().map(vectors::get).toArray(float[][]::new);
    }
}
