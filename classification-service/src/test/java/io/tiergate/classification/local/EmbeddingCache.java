package io.tiergate.classification.local;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Embeds each distinct text once across calls, so an evaluation can train and test many models on the same lines quickly. */
final class EmbeddingCache implements Function<List<String>, float[][]> {

    private final SentenceEncoder encoder;
    private final int maxTokens;
    private final Map<String, float[]> vectors = new HashMap<>();

    EmbeddingCache(SentenceEncoder encoder, int maxTokens) {
        this.encoder = encoder;
        this.maxTokens = maxTokens;
    }

    int dimension() {
        return encoder.dimension();
    }

    @Override
    public synchronized float[][] apply(List<String> texts) {
        List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
        missing.removeIf(vectors::containsKey);
        float[][] encoded = encoder.encode(missing, maxTokens);
        for (int i = 0; i < missing.size(); i++) {
            vectors.put(missing.get(i), encoded[i]);
        }
        return texts.stream().map(vectors::get).toArray(float[][]::new);
    }
}
